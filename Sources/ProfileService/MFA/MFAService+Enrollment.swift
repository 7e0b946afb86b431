import CryptoPrimitives
import ProfileAPI
import ProfileStore
import RPC

extension MFAService {
  /// A new secret for the app; MFA stays off until ``confirmEnrollment(_:_:)``. Starting again
  /// replaces a pending secret.
  ///
  /// - Throws: `FAILED_PRECONDITION` (`MFA_ALREADY_ENABLED`) when MFA is on.
  func beginEnrollment(_ context: ServerContext) async throws -> MFA.BeginEnrollmentResponse {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsWhileEnrollingMFA)
    let secret = try factor.newSecret()
    let record = MFAFactorRecord(
      userID: caller.userID, sealedSecret: try factor.seal(secret, userID: caller.userID),
      createdAt: caller.authenticatedAt, confirmedAt: nil, lastStep: 0)
    let mutation = caller.mutation()
    try await environment.database.write { db in
      if try db.mfaFactor(userID: record.userID)?.isEnabled == true {
        throw Self.precondition("MFA_ALREADY_ENABLED", "multi-factor authentication is already on; turn it off first to enroll again")
      }
      try db.replaceMFAFactor(record)
      try db.audit("mfa.enrollment.begin", subject: record.userID, target: record.userID, context: mutation)
    }
    return MFA.BeginEnrollmentResponse(secret: Base32.encode(secret), uri: factor.uri(secret: secret, account: caller.email))
  }

  /// Turns MFA on with a current code from the app and answers the recovery codes, shown this once.
  ///
  /// - Throws: `INVALID_ARGUMENT` on `code` when it is wrong (the attempt counts toward the
  ///   sign-in limit); `RESOURCE_EXHAUSTED` once that limit is reached; `FAILED_PRECONDITION`
  ///   when no enrollment is pending.
  func confirmEnrollment(_ request: MFA.CodeRequest, _ context: ServerContext) async throws -> MFA.RecoveryCodesResponse {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsWhileEnrollingMFA)
    try Self.validateCode(request.code)
    let userID = caller.userID
    let recovery = try factor.newRecoveryCodes(userID: userID)
    let (mutation, limiter, factor) = (caller.mutation(), SignInLimiter(configuration: environment.configuration), factor)
    let emailKey = caller.email.lowercased()
    let confirmed = try await environment.database.write { db -> Bool in
      guard let pending = try db.mfaFactor(userID: userID) else {
        throw Self.precondition("MFA_ENROLLMENT_NOT_STARTED", "no enrollment is pending: call MFA.BeginEnrollment first")
      }
      guard !pending.isEnabled else {
        throw Self.precondition("MFA_ALREADY_ENABLED", "multi-factor authentication is already on")
      }
      guard
        try factor.verify(
          request.code, against: pending, acceptingRecoveryCodes: false, userID: userID, emailKey: emailKey,
          limiter: limiter, failedAction: "mfa.code.failed", mutation: mutation, in: db)
      else { return false }
      try db.confirmMFAFactor(userID: userID, at: mutation.now)
      try db.replaceRecoveryCodes(userID: userID, hashes: recovery.hashes)
      try db.audit("mfa.enable", subject: userID, target: userID, context: mutation)
      try db.enqueue(
        OutboxMessage(channel: .email, recipient: caller.email, template: "mfa.enabled", parameters: [:], createdAt: mutation.now))
      return true
    }
    guard confirmed else { throw Self.wrongCode }
    // Sessions that could only enroll may now do everything.
    environment.sessions.evict(userID: userID)
    return MFA.RecoveryCodesResponse(recoveryCodes: recovery.codes)
  }

  /// Whether MFA is on, whether an organization enforces it, and the recovery codes left.
  func status(_ context: ServerContext) async throws -> MFA.MFAStatus {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsWhileEnrollingMFA)
    let userID = caller.userID
    return try await environment.database.read { db in
      let record = try db.mfaFactor(userID: userID)
      let enforcing = try db.organizationsEnforcingMFA(userID: userID)
      return MFA.MFAStatus(
        enabled: record?.isEnabled ?? false, enforcedByOrganization: !enforcing.isEmpty,
        enforcingOrganizations: enforcing, enrollmentPending: record.map { !$0.isEnabled } ?? false,
        recoveryCodesRemaining: record?.isEnabled == true ? try db.unusedRecoveryCodeCount(userID: userID) : 0)
    }
  }
}
