import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// Sends a reset code to the account's verified phone. Answers the same whether or not the
  /// account exists (or has a verified phone), so it tells nothing about who is registered.
  func requestPasswordReset(_ request: Accounts.PasswordResetRequest, _ context: ServerContext) async throws -> Empty {
    var validator = FieldValidator()
    validator.email("email", request.email)
    try validator.check()
    let now = environment.now()
    let codes = environment.codes
    try await environment.database.write { db in
      guard let user = try db.user(emailKey: request.email.lowercased()), user.passwordHash != nil,
        let phone = user.phone, user.phoneVerified
      else { return }
      let mutation = MutationContext(actor: "anonymous", requestID: context.requestID, peerUID: context.peer.uid, now: now)
      let code = try codes.issue(.passwordReset, userID: user.id, target: phone, now: now, in: db)
      try db.enqueue(
        OutboxMessage(channel: .sms, recipient: phone, template: "password.reset", parameters: ["code": code], createdAt: now))
      try db.audit("password.reset.request", subject: user.id, target: user.id, context: mutation)
    }
    return Empty()
  }

  /// Sets a new password with a reset code and ends every session of the account.
  func resetPassword(_ request: Accounts.ResetPasswordRequest, _ context: ServerContext) async throws -> Empty {
    var validator = FieldValidator()
    validator.email("email", request.email)
    if request.code.count != 6 || !request.code.allSatisfy(\.isASCII) || !request.code.allSatisfy(\.isNumber) {
      validator.fail("code", "must be the 6 digits that were sent")
    }
    if let problem = environment.configuration.passwordPolicy.problem(with: request.newPassword) {
      validator.fail("newPassword", problem)
    }
    try validator.check()
    let newHash = try await environment.hashPassword(request.newPassword)
    let now = environment.now()
    let codes = environment.codes
    let outcome = try await environment.database.write { db -> (VerificationCodes.Check, String?) in
      guard let user = try db.user(emailKey: request.email.lowercased()) else { return (.none, nil) }
      let check = try codes.check(.passwordReset, code: request.code, userID: user.id, now: now, in: db)
      guard case .confirmed = check else { return (check, nil) }
      var updated = user
      updated.passwordHash = newHash
      try db.updateUser(updated)
      try db.deleteSessions(userID: user.id)
      let mutation = MutationContext(actor: user.id, requestID: context.requestID, peerUID: context.peer.uid, now: now)
      try db.audit("password.reset", subject: user.id, target: user.id, context: mutation)
      try db.enqueue(
        OutboxMessage(channel: .email, recipient: user.email, template: "password.changed", parameters: [:], createdAt: now))
      return (check, user.id)
    }
    guard let userID = outcome.1 else { throw VerificationCodes.error(for: outcome.0) }
    environment.sessions.evict(userID: userID)
    return Empty()
  }
}
