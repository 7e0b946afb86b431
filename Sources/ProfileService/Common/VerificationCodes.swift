public import Foundation
internal import CryptoPrimitives
public import ProfileStore
public import RPC

/// Six-digit codes that confirm a phone, a new email or a password reset.
///
/// A code comes from the OS random source, is stored only as an HMAC under the secrets key,
/// lives ``ServiceConfiguration/codeLifetime`` (10 minutes), ends after
/// ``ServiceConfiguration/maxCodeAttempts`` wrong entries, and a new code replaces the old one.
/// Every function runs inside the caller's write, so the code, the change and the outbox
/// message commit together.
public struct VerificationCodes: Sendable {
  public enum Purpose: String, Sendable {
    case phone
    case email
    case passwordReset = "password-reset"
  }

  let configuration: ServiceConfiguration
  let key: [UInt8]

  public init(configuration: ServiceConfiguration, key: [UInt8]) {
    self.configuration = configuration
    self.key = key
  }

  /// Creates and stores a new code for `target`; returns the code, to put in an outbox message.
  public func issue(_ purpose: Purpose, userID: String, target: String, now: Date, in db: Database) throws -> String {
    let code = try SecureRandom.sixDigitCode()
    try db.replaceVerificationCode(
      VerificationCodeRecord(
        userID: userID, purpose: purpose.rawValue, codeHash: hash(code, userID: userID, purpose: purpose),
        target: target, createdAt: now, expiresAt: now.addingTimeInterval(configuration.codeLifetime.timeInterval)))
    return code
  }

  /// The pending code's record, for checks such as the resend interval.
  public func pending(_ purpose: Purpose, userID: String, in db: Database) throws -> VerificationCodeRecord? {
    try db.verificationCode(userID: userID, purpose: purpose.rawValue)
  }

  /// Outcome of checking an entered code.
  public enum Check: Sendable, Equatable {
    /// Right code: it is used up; `target` is what it confirmed.
    case confirmed(target: String)
    /// Wrong code; `remaining` more tries before the code ends.
    case wrong(remaining: Int)
    /// No code is pending, it expired, or it ran out of tries.
    case none

    /// A wrong code was entered (the kind of outcome that counts as a failed attempt).
    public var isWrong: Bool {
      if case .wrong = self { return true }
      return false
    }
  }

  /// Checks `code`. A right code is deleted (it works once); a wrong one counts a try, and the
  /// last allowed wrong try deletes the code.
  public func check(_ purpose: Purpose, code: String, userID: String, now: Date, in db: Database) throws -> Check {
    guard let record = try db.verificationCode(userID: userID, purpose: purpose.rawValue) else { return .none }
    guard record.expiresAt > now, record.failedAttempts < configuration.maxCodeAttempts else {
      try db.deleteVerificationCode(userID: userID, purpose: purpose.rawValue)
      return .none
    }
    if ConstantTime.equals(hash(code, userID: userID, purpose: purpose), record.codeHash) {
      try db.deleteVerificationCode(userID: userID, purpose: purpose.rawValue)
      return .confirmed(target: record.target)
    }
    let remaining = configuration.maxCodeAttempts - record.failedAttempts - 1
    if remaining <= 0 {
      try db.deleteVerificationCode(userID: userID, purpose: purpose.rawValue)
    } else {
      try db.recordFailedCodeAttempt(userID: userID, purpose: purpose.rawValue)
    }
    return .wrong(remaining: remaining)
  }

  /// The error for a check that did not confirm.
  public static func error(for check: Check, field: String = "code") -> RPCError {
    switch check {
    case .confirmed: RPCError(.internal, "the code was confirmed")
    case .wrong(let remaining) where remaining > 0:
      RPCError(
        .invalidArgument, "the code is wrong; \(remaining) more tries before it ends",
        details: ErrorDetails(fieldViolations: [.init(field: field, description: "is wrong")]))
    case .wrong:
      RPCError(
        .failedPrecondition, "the code is wrong and has ended after too many tries; request a new one",
        details: ErrorDetails(preconditionViolations: [.init(type: "CODE_ENDED", subject: field, description: "too many wrong tries")]))
    case .none:
      RPCError(
        .failedPrecondition, "no code is pending, or it expired; request a new one",
        details: ErrorDetails(preconditionViolations: [.init(type: "NO_PENDING_CODE", subject: field, description: "no valid code")]))
    }
  }

  private func hash(_ code: String, userID: String, purpose: Purpose) -> [UInt8] {
    HMAC.authenticationCode(key: key, message: Array("\(purpose.rawValue)|\(userID)|\(code)".utf8), algorithm: .sha256)
  }
}
