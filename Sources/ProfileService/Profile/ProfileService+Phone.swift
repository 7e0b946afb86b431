import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ProfileService {
  /// Stores a new phone number, unverified, and texts it a code (`phone.verification`).
  ///
  /// Password accounts confirm with `currentPassword`. Accounts that sign in through an external
  /// provider have no password: they send an empty `currentPassword` and the call relies on the
  /// session alone. Setting the number that is already verified changes nothing and sends
  /// nothing; any other number (or the same unverified one) needs a code. A second code to the
  /// same number within `resendInterval` is `RESOURCE_EXHAUSTED` with a retry-after.
  func setPhone(_ request: Profile.SetPhoneRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    let user = try await user(of: caller)
    var validator = FieldValidator()
    if !Self.isE164(request.phone) {
      validator.fail("phone", "must be an E.164 number: + and 8 to 15 digits, country code first, such as +14155550123")
    }
    if user.passwordHash == nil {
      if !request.currentPassword.isEmpty {
        validator.fail("currentPassword", "must be empty: this account signs in through \(Self.providerName(user)) and has no password")
      }
    } else {
      environment.checkCurrentPassword(&validator, request.currentPassword)
    }
    try validator.check()
    if user.passwordHash != nil { try await environment.verifyCurrentPassword(request.currentPassword, of: user, mutation: caller.mutation()) }

    let phone = request.phone
    let mutation = caller.mutation()
    let codes = environment.codes
    let interval = environment.configuration.resendInterval
    try await environment.database.write { db in
      guard var current = try db.user(id: user.id) else { throw Authenticator.unknownToken }
      if current.phone == phone && current.phoneVerified { return }
      // Whatever its number: alternating two numbers must not text a code per call.
      if let pending = try codes.pending(.phone, userID: user.id, in: db) {
        try Self.refuseEarlyResend(of: pending, interval: interval, now: mutation.now)
      }
      if current.phone != phone {
        current.phone = phone
        current.phoneVerified = false
        guard try db.updateUser(current) != nil else { throw Self.staleVersion(expected: current.version, current: nil) }
      }
      try Self.sendPhoneCode(to: phone, userID: user.id, codes: codes, now: mutation.now, in: db)
      try db.audit("phone.set", subject: user.id, target: user.id, context: mutation)
    }
    return Empty()
  }

  /// Marks the phone verified with the code texted to it and returns the profile.
  func verifyPhone(_ request: Profile.CodeRequest, _ context: ServerContext) async throws -> Profile.UserProfile {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.checkCode(&validator, request.code)
    try validator.check()

    let mutation = caller.mutation()
    let codes = environment.codes
    let userID = caller.userID
    // Failures are returned, not thrown, so a counted wrong try commits.
    let limiter = SignInLimiter(configuration: environment.configuration)
    let outcome = try await environment.database.write { db -> Result<(UserRecord, Bool), RPCError> in
      guard let user = try db.user(id: userID) else { throw Authenticator.unknownToken }
      guard let phone = user.phone, !user.phoneVerified else { return .failure(Self.noUnverifiedPhone) }
      // Wrong codes count with failed sign-ins: asking for new codes buys no more guesses.
      let check = try limiter.attempt(
        emailKey: user.emailKey, userID: userID, failedAction: "code.wrong", mutation: mutation, in: db
      ) {
        try codes.check(.phone, code: request.code, userID: userID, now: mutation.now, in: db)
      } failed: { $0.isWrong }
      guard case .confirmed(let target) = check else { return .failure(VerificationCodes.error(for: check)) }
      guard target == phone else { return .failure(VerificationCodes.error(for: .none)) }
      var changed = user
      changed.phoneVerified = true
      guard let stored = try db.updateUser(changed) else { throw Self.staleVersion(expected: user.version, current: nil) }
      try db.audit("phone.verify", subject: userID, target: userID, context: mutation)
      return .success((stored, try db.hasAvatar(userID: userID)))
    }
    let (user, hasAvatar) = try outcome.get()
    return try Self.profile(user, hasAvatar: hasAvatar, role: caller.role)
  }

  /// Texts a new code to the unverified phone, replacing the pending one.
  ///
  /// - Throws: `FAILED_PRECONDITION` when there is no unverified phone; `RESOURCE_EXHAUSTED`
  ///   with a retry-after within `resendInterval` of the previous code.
  func resendPhoneCode(_ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    let mutation = caller.mutation()
    let codes = environment.codes
    let interval = environment.configuration.resendInterval
    let userID = caller.userID
    try await environment.database.write { db in
      guard let user = try db.user(id: userID) else { throw Authenticator.unknownToken }
      guard let phone = user.phone, !user.phoneVerified else { throw Self.noUnverifiedPhone }
      if let pending = try codes.pending(.phone, userID: userID, in: db) {
        try Self.refuseEarlyResend(of: pending, interval: interval, now: mutation.now)
      }
      try Self.sendPhoneCode(to: phone, userID: userID, codes: codes, now: mutation.now, in: db)
      try db.audit("phone.code.resend", subject: userID, target: userID, context: mutation)
    }
    return Empty()
  }

  /// Removes the phone number (verified or not) and any pending phone code; returns the
  /// profile. Without a phone it changes nothing.
  func removePhone(_ context: ServerContext) async throws -> Profile.UserProfile {
    let caller = try await environment.authenticator.caller(context)
    let mutation = caller.mutation()
    let userID = caller.userID
    let (user, hasAvatar) = try await environment.database.write { db -> (UserRecord, Bool) in
      let (user, hasAvatar) = try Self.profileParts(db, userID: userID)
      try db.deleteVerificationCode(userID: userID, purpose: VerificationCodes.Purpose.phone.rawValue)
      guard user.phone != nil else { return (user, hasAvatar) }
      var changed = user
      changed.phone = nil
      changed.phoneVerified = false
      guard let stored = try db.updateUser(changed) else { throw Self.staleVersion(expected: user.version, current: nil) }
      try db.audit("phone.remove", subject: userID, target: userID, context: mutation)
      return (stored, hasAvatar)
    }
    return try Self.profile(user, hasAvatar: hasAvatar, role: caller.role)
  }

  /// `+`, then 8 to 15 ASCII digits of which the first is not 0.
  static func isE164(_ phone: String) -> Bool {
    let bytes = Array(phone.utf8)
    guard bytes.count >= 9, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else {
      return false
    }
    return bytes.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
  }

  static func sendPhoneCode(to phone: String, userID: String, codes: VerificationCodes, now: Date, in db: Database) throws {
    let code = try codes.issue(.phone, userID: userID, target: phone, now: now, in: db)
    try db.enqueue(
      OutboxMessage(channel: .sms, recipient: phone, template: "phone.verification", parameters: ["code": code], createdAt: now))
  }

  static let noUnverifiedPhone = RPCError(
    .failedPrecondition, "there is no unverified phone number; set one with SetPhone",
    details: ErrorDetails(
      preconditionViolations: [
        .init(type: "NO_UNVERIFIED_PHONE", subject: "phone", description: "no phone number awaits verification")
      ]))
}
