import ProfileAPI
import ProfileStore
import RPC

extension MFAService {
  /// Turns MFA off, given a current code or a recovery code; the secret and recovery codes go.
  ///
  /// - Throws: `FAILED_PRECONDITION` (`MFA_ENFORCED`, naming the organizations) while an
  ///   organization the user belongs to enforces MFA, or when MFA is off; `INVALID_ARGUMENT` on
  ///   `code` when it is wrong (counted toward the sign-in limit); `RESOURCE_EXHAUSTED` at the limit.
  func disable(_ request: MFA.CodeRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsOnly)
    try Self.validateCode(request.code)
    try await withVerifiedCode(request.code, caller: caller, failedAction: "mfa.code.failed") { db, mutation in
      let enforcing = try db.organizationsEnforcingMFA(userID: caller.userID)
      guard enforcing.isEmpty else {
        throw Self.precondition(
          "MFA_ENFORCED",
          "multi-factor authentication cannot be turned off: enforced by \(enforcing.joined(separator: ", "))")
      }
    } then: { db, mutation in
      try db.deleteMFA(userID: caller.userID)
      try db.audit("mfa.disable", subject: caller.userID, target: caller.userID, context: mutation)
      try db.enqueue(
        OutboxMessage(channel: .email, recipient: caller.email, template: "mfa.disabled", parameters: [:], createdAt: mutation.now))
    }
    environment.sessions.evict(userID: caller.userID)
    return Empty()
  }

  /// Replaces every recovery code with new ones, given a current code or a recovery code.
  ///
  /// - Throws: as ``disable(_:_:)`` does, except that enforcement does not matter.
  func regenerateRecoveryCodes(_ request: MFA.CodeRequest, _ context: ServerContext) async throws -> MFA.RecoveryCodesResponse {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsOnly)
    try Self.validateCode(request.code)
    let recovery = try factor.newRecoveryCodes(userID: caller.userID)
    try await withVerifiedCode(request.code, caller: caller, failedAction: "mfa.code.failed") { _, _ in
    } then: { db, mutation in
      try db.replaceRecoveryCodes(userID: caller.userID, hashes: recovery.hashes)
      try db.audit("mfa.recovery_codes.regenerate", subject: caller.userID, target: caller.userID, context: mutation)
    }
    return MFA.RecoveryCodesResponse(recoveryCodes: recovery.codes)
  }

  /// One write: `precheck` (refusals that should not cost an attempt), the code under the
  /// sign-in limit, then `change`. A wrong code is recorded as a failure in the same write, and
  /// thrown after it commits.
  private func withVerifiedCode(
    _ code: String, caller: Caller, failedAction: String,
    precheck: @escaping @Sendable (Database, MutationContext) throws -> Void,
    then change: @escaping @Sendable (Database, MutationContext) throws -> Void
  ) async throws {
    let (mutation, limiter, factor) = (caller.mutation(), SignInLimiter(configuration: environment.configuration), factor)
    let (userID, emailKey) = (caller.userID, caller.email.lowercased())
    let verified = try await environment.database.write { db -> Bool in
      guard let record = try db.mfaFactor(userID: userID), record.isEnabled else { throw Self.notEnabled }
      try precheck(db, mutation)
      guard
        try factor.verify(
          code, against: record, acceptingRecoveryCodes: true, userID: userID, emailKey: emailKey, limiter: limiter,
          failedAction: failedAction, mutation: mutation, in: db)
      else { return false }
      try change(db, mutation)
      return true
    }
    guard verified else { throw Self.wrongCode }
  }
}
