import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// Sends a reset code to the account's verified phone. Answers the same whether or not the
  /// account exists (or has a verified phone), so it tells nothing about who is registered.
  ///
  /// No code goes out within `resendInterval` of the previous one, nor while the account is
  /// locked out by failed attempts (a code could not be used then): the answer is still the
  /// same, so neither tells the caller anything either.
  func requestPasswordReset(_ request: Accounts.PasswordResetRequest, _ context: ServerContext) async throws -> Empty {
    var validator = FieldValidator()
    validator.email("email", request.email)
    try validator.check()
    let now = environment.now()
    let codes = environment.codes
    let interval = environment.configuration.resendInterval.timeInterval
    let limiter = SignInLimiter(configuration: environment.configuration)
    try await environment.database.write { db in
      let emailKey = request.email.lowercased()
      guard let user = try db.user(emailKey: emailKey), user.passwordHash != nil,
        let phone = user.phone, user.phoneVerified
      else { return }
      if let pending = try codes.pending(.passwordReset, userID: user.id, in: db),
        now.timeIntervalSince(pending.createdAt) < interval
      {
        return
      }
      guard try limiter.lockedUntil(emailKey: emailKey, now: now, in: db) == nil else { return }
      let mutation = MutationContext(actor: "anonymous", requestID: context.requestID, peerUID: context.peer.uid, now: now)
      let code = try codes.issue(.passwordReset, userID: user.id, target: phone, now: now, in: db)
      try db.enqueue(
        OutboxMessage(channel: .sms, recipient: phone, template: "password.reset", parameters: ["code": code], createdAt: now))
      try db.audit("password.reset.request", subject: user.id, target: user.id, context: mutation)
    }
    return Empty()
  }

  /// The one answer to every reset code that does not work: wrong, expired, used up, or sent to
  /// no such account. A finer answer ("4 more tries") would tell who has an account.
  static let unusableResetCode = RPCError(
    .invalidArgument, "the code is wrong, has expired or was never sent; request a new one",
    details: ErrorDetails(fieldViolations: [.init(field: "code", description: "does not work")]))

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
    let now = environment.now()
    let emailKey = request.email.lowercased()
    let limiter = SignInLimiter(configuration: environment.configuration)
    // Checked before the hash too, so a locked-out account costs no hashing.
    try await environment.database.read { db in try limiter.refuseIfLockedOut(emailKey: emailKey, now: now, in: db) }
    let newHash = try await environment.hashPassword(request.newPassword)
    let codes = environment.codes
    // A code that does not work counts with failed sign-ins, whether or not the account exists,
    // so codes cannot be guessed by asking for new ones: 5 tries per window, not 5 per code.
    let userID = try await environment.database.write { db -> String? in
      let user = try db.user(emailKey: emailKey)
      let mutation = MutationContext(
        actor: user?.id ?? "anonymous", requestID: context.requestID, peerUID: context.peer.uid, now: now)
      let confirmed = try limiter.attempt(
        emailKey: emailKey, userID: user?.id, failedAction: "password.reset.failed", mutation: mutation, in: db
      ) { () throws -> Bool in
        guard let user else { return false }
        if case .confirmed = try codes.check(.passwordReset, code: request.code, userID: user.id, now: now, in: db) {
          return true
        }
        return false
      } failed: { !$0 }
      guard confirmed, let user else { return nil }
      var updated = user
      updated.passwordHash = newHash
      try db.updateUser(updated)
      try db.deleteSessions(userID: user.id)
      // Whoever holds the verified phone owns the account: earlier failures no longer lock it.
      try db.clearFailedSignIns(emailKey: emailKey)
      try db.audit("password.reset", subject: user.id, target: user.id, context: mutation)
      try db.enqueue(
        OutboxMessage(channel: .email, recipient: user.email, template: "password.changed", parameters: [:], createdAt: now))
      return user.id
    }
    guard let userID else { throw Self.unusableResetCode }
    environment.sessions.evict(userID: userID)
    return Empty()
  }
}
