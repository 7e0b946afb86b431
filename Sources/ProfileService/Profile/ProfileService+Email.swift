import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ProfileService {
  /// Starts an email change: sends a code to the new address (`email.verification`); the
  /// address changes only when ``confirmEmailChange(_:_:)`` gets that code.
  ///
  /// Accounts that sign in through an external provider get their email from the provider:
  /// `FAILED_PRECONDITION`. The new address must differ from the current one (ignoring case) and
  /// not be registered (`ALREADY_EXISTS`). A second code to the same address within
  /// `resendInterval` is `RESOURCE_EXHAUSTED` with a retry-after.
  func changeEmail(_ request: Profile.ChangeEmailRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    let user = try await user(of: caller)
    try Self.requirePassword(user, for: "change the email")
    var validator = FieldValidator()
    validator.email("newEmail", request.newEmail)
    if validator.violations.isEmpty && request.newEmail.lowercased() == user.emailKey {
      validator.fail("newEmail", "is already your email")
    }
    environment.checkCurrentPassword(&validator, request.currentPassword)
    try validator.check()
    try await environment.verifyCurrentPassword(request.currentPassword, of: user, mutation: caller.mutation())

    let newEmail = request.newEmail
    let mutation = caller.mutation()
    let codes = environment.codes
    let interval = environment.configuration.resendInterval
    try await environment.database.write { db in
      if try db.user(emailKey: newEmail.lowercased()) != nil { throw Self.emailTaken }
      // Whatever its address: alternating two addresses must not send a code per call.
      if let pending = try codes.pending(.email, userID: user.id, in: db) {
        try Self.refuseEarlyResend(of: pending, interval: interval, now: mutation.now)
      }
      let code = try codes.issue(.email, userID: user.id, target: newEmail, now: mutation.now, in: db)
      try db.enqueue(
        OutboxMessage(
          channel: .email, recipient: newEmail, template: "email.verification", parameters: ["code": code],
          createdAt: mutation.now))
      try db.audit("email.change.request", subject: user.id, target: user.id, context: mutation)
    }
    return Empty()
  }

  /// Completes an email change with the code sent to the new address, tells the old address
  /// (`email.changed`) and returns the profile.
  ///
  /// - Throws: `ALREADY_EXISTS` when someone registered the new address meanwhile (the code is
  ///   used up); the errors of ``VerificationCodes/error(for:field:)`` for a wrong or missing code.
  func confirmEmailChange(_ request: Profile.CodeRequest, _ context: ServerContext) async throws -> Profile.UserProfile {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.checkCode(&validator, request.code)
    try validator.check()

    let mutation = caller.mutation()
    let codes = environment.codes
    let userID = caller.userID
    // Failures are returned, not thrown, so a counted wrong try (or a used-up code) commits.
    let limiter = SignInLimiter(configuration: environment.configuration)
    let outcome = try await environment.database.write { db -> Result<(UserRecord, Bool), RPCError> in
      guard let user = try db.user(id: userID) else { throw Authenticator.unknownToken }
      // Wrong codes count with failed sign-ins: asking for new codes buys no more guesses.
      let check = try limiter.attempt(
        emailKey: user.emailKey, userID: userID, failedAction: "code.wrong", mutation: mutation, in: db
      ) {
        try codes.check(.email, code: request.code, userID: userID, now: mutation.now, in: db)
      } failed: { $0.isWrong }
      guard case .confirmed(let newEmail) = check else { return .failure(VerificationCodes.error(for: check)) }
      let newKey = newEmail.lowercased()
      if let holder = try db.user(emailKey: newKey), holder.id != userID { return .failure(Self.emailTaken) }
      var changed = user
      changed.email = newEmail
      changed.emailKey = newKey
      guard let stored = try db.updateUser(changed) else { throw Self.staleVersion(expected: user.version, current: nil) }
      try db.enqueue(
        OutboxMessage(
          channel: .email, recipient: user.email, template: "email.changed", parameters: ["newEmail": newEmail],
          createdAt: mutation.now))
      try db.audit("email.change", subject: userID, target: userID, context: mutation)
      return .success((stored, try db.hasAvatar(userID: userID)))
    }
    let (user, hasAvatar) = try outcome.get()
    // Cached sessions carry the email.
    environment.sessions.evict(userID: userID)
    return try Self.profile(user, hasAvatar: hasAvatar, role: caller.role)
  }

  static let emailTaken = RPCError(
    .alreadyExists, "an account with this email already exists",
    details: ErrorDetails(fieldViolations: [.init(field: "newEmail", description: "is already registered")]))

  /// A code as sent: six ASCII digits.
  static func checkCode(_ validator: inout FieldValidator, _ code: String) {
    if code.utf8.count != 6 || !code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
      validator.fail("code", "must be the 6 digits that were sent")
    }
  }

  /// Refuses another code of the same purpose sooner than `interval` after `pending` was sent.
  ///
  /// - Throws: `RESOURCE_EXHAUSTED` with the milliseconds to wait.
  static func refuseEarlyResend(of pending: VerificationCodeRecord, interval: Duration, now: Date) throws {
    let next = pending.createdAt.addingTimeInterval(interval.timeInterval)
    guard next > now else { return }
    let wait = max(1, Int64((next.timeIntervalSince(now) * 1000).rounded(.up)))
    let seconds = Int(interval.timeInterval.rounded(.up))
    throw RPCError(
      .resourceExhausted, "a code was sent less than \(seconds) seconds ago; wait before asking for another",
      details: ErrorDetails(
        quotaViolations: [.init(subject: "verification-code", description: "one code per \(seconds) seconds")],
        retryAfterMilliseconds: wait))
  }
}
