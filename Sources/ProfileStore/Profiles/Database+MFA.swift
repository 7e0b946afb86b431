public import Foundation

extension Database {
  // MARK: Factors

  public func mfaFactor(userID: String) throws -> MFAFactorRecord? {
    try row(
      sql: "SELECT user_id, secret, created_at, confirmed_at, last_step FROM mfa_factors WHERE user_id = ?", userID
    ).map { row in
      MFAFactorRecord(
        userID: try row.get(0), sealedSecret: try row.get(1), createdAt: try row.get(2),
        confirmedAt: try row.get(3), lastStep: try row.get(4))
    }
  }

  /// Stores a new, unconfirmed factor, replacing a pending one. The caller checks first that MFA
  /// is not on.
  public func replaceMFAFactor(_ factor: MFAFactorRecord) throws {
    try execute(
      sql: """
        INSERT OR REPLACE INTO mfa_factors (user_id, secret, created_at, confirmed_at, last_step)
        VALUES (?, ?, ?, ?, ?)
        """, factor.userID, factor.sealedSecret, factor.createdAt, factor.confirmedAt, factor.lastStep)
  }

  public func confirmMFAFactor(userID: String, at time: Date) throws {
    try execute(sql: "UPDATE mfa_factors SET confirmed_at = ? WHERE user_id = ?", time, userID)
  }

  /// Records the step of an accepted code; returns false when a code of that step or a later
  /// one was accepted already (a replay, even by a racing call).
  public func advanceMFAStep(userID: String, to step: Int) throws -> Bool {
    try execute(sql: "UPDATE mfa_factors SET last_step = ? WHERE user_id = ? AND last_step < ?", step, userID, step)
    return changes == 1
  }

  /// Turns MFA off: the factor, the recovery codes and pending challenges go.
  public func deleteMFA(userID: String) throws {
    try execute(sql: "DELETE FROM mfa_factors WHERE user_id = ?", userID)
    try execute(sql: "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userID)
    try execute(sql: "DELETE FROM mfa_challenges WHERE user_id = ?", userID)
  }

  // MARK: Recovery codes

  /// Replaces all of the user's recovery codes, used or not.
  public func replaceRecoveryCodes(userID: String, hashes: [[UInt8]]) throws {
    try execute(sql: "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userID)
    for hash in hashes {
      try execute(sql: "INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, hash)
    }
  }

  /// Marks an unused recovery code used; returns false when there is none with that hash.
  public func useRecoveryCode(userID: String, hash: [UInt8], at time: Date) throws -> Bool {
    try execute(
      sql: "UPDATE mfa_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
      time, userID, hash)
    return changes == 1
  }

  public func unusedRecoveryCodeCount(userID: String) throws -> Int {
    try value(Int.self, sql: "SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL", userID)
      ?? 0
  }

  // MARK: Challenges

  public func insertMFAChallenge(idHash: [UInt8], userID: String, createdAt: Date, expiresAt: Date) throws {
    try execute(
      sql: "INSERT INTO mfa_challenges (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
      idHash, userID, createdAt, expiresAt)
  }

  /// The user a challenge belongs to, while it has not expired.
  public func mfaChallengeUser(idHash: [UInt8], now: Date) throws -> String? {
    try value(String.self, sql: "SELECT user_id FROM mfa_challenges WHERE id_hash = ? AND expires_at > ?", idHash, now)
  }

  public func deleteMFAChallenge(idHash: [UInt8]) throws {
    try execute(sql: "DELETE FROM mfa_challenges WHERE id_hash = ?", idHash)
  }

  /// Drops challenges that expired before `time`, so the table holds only live ones.
  public func pruneMFAChallenges(before time: Date) throws {
    try execute(sql: "DELETE FROM mfa_challenges WHERE expires_at <= ?", time)
  }

  // MARK: Enforcement

  /// The names of the organizations the user belongs to that enforce MFA, by name.
  public func organizationsEnforcingMFA(userID: String) throws -> [String] {
    try rows(
      sql: """
        SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = ? AND o.enforce_mfa = 1 ORDER BY o.name
        """, userID
    ).map { try $0.get(0) }
  }

  /// True when an organization the user belongs to enforces MFA and the user has not turned it
  /// on: their sessions may then only enroll.
  public func mfaEnrollmentRequired(userID: String) throws -> Bool {
    try value(
      Bool.self,
      sql: """
        SELECT EXISTS (
          SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.organization_id
          WHERE m.user_id = ? AND o.enforce_mfa = 1)
        AND NOT EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = ? AND confirmed_at IS NOT NULL)
        """, userID, userID) ?? false
  }
}
