public import Foundation

/// One pending verification code (row of `verification_codes`): at most one per user and purpose.
public struct VerificationCodeRecord: Sendable, Equatable {
  public var userID: String
  /// `phone`, `email` or `password-reset`.
  public var purpose: String
  /// A keyed hash of the code; the code itself is never stored.
  public var codeHash: [UInt8]
  /// What the code confirms: the phone number or the new email address.
  public var target: String
  public var createdAt: Date
  public var expiresAt: Date
  public var failedAttempts: Int

  public init(userID: String, purpose: String, codeHash: [UInt8], target: String, createdAt: Date, expiresAt: Date, failedAttempts: Int = 0) {
    self.userID = userID
    self.purpose = purpose
    self.codeHash = codeHash
    self.target = target
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.failedAttempts = failedAttempts
  }
}

extension Database {
  /// Stores `code`, replacing any pending code of the same user and purpose.
  public func replaceVerificationCode(_ code: VerificationCodeRecord) throws {
    try execute(
      sql: """
        INSERT OR REPLACE INTO verification_codes
          (user_id, purpose, code_hash, target, created_at, expires_at, failed_attempts)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      code.userID, code.purpose, code.codeHash, code.target, code.createdAt, code.expiresAt,
      Int64(code.failedAttempts))
  }

  public func verificationCode(userID: String, purpose: String) throws -> VerificationCodeRecord? {
    try row(
      sql: """
        SELECT user_id, purpose, code_hash, target, created_at, expires_at, failed_attempts
        FROM verification_codes WHERE user_id = ? AND purpose = ?
        """, userID, purpose
    ).map { row in
      VerificationCodeRecord(
        userID: try row.get(0), purpose: try row.get(1), codeHash: try row.get(2), target: try row.get(3),
        createdAt: try row.get(4), expiresAt: try row.get(5), failedAttempts: try row.get(6))
    }
  }

  public func recordFailedCodeAttempt(userID: String, purpose: String) throws {
    try execute(
      sql: "UPDATE verification_codes SET failed_attempts = failed_attempts + 1 WHERE user_id = ? AND purpose = ?",
      userID, purpose)
  }

  public func deleteVerificationCode(userID: String, purpose: String) throws {
    try execute(sql: "DELETE FROM verification_codes WHERE user_id = ? AND purpose = ?", userID, purpose)
  }
}
