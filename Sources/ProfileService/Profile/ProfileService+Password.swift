import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ProfileService {
  /// Replaces the caller's password and ends their other sessions; the calling one stays.
  ///
  /// Accounts that sign in through an external provider have no password: `FAILED_PRECONDITION`.
  /// A wrong `currentPassword` is `PERMISSION_DENIED` with a violation on that field, as for
  /// `DeleteAccount`. The user is told by email (`password.changed`).
  func changePassword(_ request: Profile.ChangePasswordRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsOnly)
    let user = try await user(of: caller)
    try Self.requirePassword(user, for: "change the password")
    var validator = FieldValidator()
    environment.checkCurrentPassword(&validator, request.currentPassword)
    if let problem = environment.configuration.passwordPolicy.problem(with: request.newPassword) {
      validator.fail("newPassword", problem)
    } else if request.newPassword == request.currentPassword {
      validator.fail("newPassword", "must differ from the current password")
    }
    if request.repeatPassword != request.newPassword {
      validator.fail("repeatPassword", "must equal newPassword")
    }
    try validator.check()
    try await environment.verifyCurrentPassword(request.currentPassword, of: user, mutation: caller.mutation())

    let newHash = try await environment.hashPassword(request.newPassword)
    let mutation = caller.mutation()
    let keeping = caller.credentialID
    let ended = try await environment.database.write { db -> [String] in
      guard var current = try db.user(id: user.id) else { throw Authenticator.unknownToken }
      // The password was checked before hashing the new one; refuse if it changed meanwhile.
      guard current.passwordHash == user.passwordHash else {
        throw RPCError(.aborted, "the password changed while this call ran; try again with the new current password")
      }
      current.passwordHash = newHash
      guard try db.updateUser(current) != nil else { throw Self.staleVersion(expected: current.version, current: nil) }
      let ended = try db.deleteSessions(userID: user.id, keeping: keeping)
      try db.audit("password.change", subject: user.id, target: user.id, context: mutation)
      try db.enqueue(
        OutboxMessage(
          channel: .email, recipient: current.email, template: "password.changed", parameters: [:],
          createdAt: mutation.now))
      return ended
    }
    for sessionID in ended { environment.sessions.evict(sessionID: sessionID) }
    return Empty()
  }

  /// Refuses accounts without a password (they sign in through an external provider).
  static func requirePassword(_ user: UserRecord, for action: String) throws {
    guard user.passwordHash == nil else { return }
    throw RPCError(
      .failedPrecondition,
      "this account signs in through \(providerName(user)) and has no password here; \(action) with the provider",
      details: ErrorDetails(
        preconditionViolations: [
          .init(
            type: "EXTERNAL_ACCOUNT", subject: "authenticationMethod",
            description: "the account signs in through \(providerName(user))")
        ]))
  }

  static func providerName(_ user: UserRecord) -> String {
    switch Profile.AuthenticationMethod(rawValue: user.authenticationMethod) {
    case .microsoft365: "Microsoft 365"
    case .azure: "Azure"
    case .google: "Google"
    case .password, nil: "an external provider"
    }
  }
}
