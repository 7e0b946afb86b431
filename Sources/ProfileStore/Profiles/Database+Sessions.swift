public import Foundation

extension Database {
  private static let sessionColumns = "id, user_id, token_hash, organization_id, created_at, expires_at, last_used_at"

  public func insertSession(_ session: SessionRecord) throws {
    try execute(
      sql: "INSERT INTO sessions (\(Self.sessionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
      session.id, session.userID, session.tokenHash, session.organizationID, session.createdAt,
      session.expiresAt, session.lastUsedAt)
  }

  public func session(tokenHash: [UInt8]) throws -> SessionRecord? {
    try row(sql: "SELECT \(Self.sessionColumns) FROM sessions WHERE token_hash = ?", tokenHash).map(Self.sessionRecord)
  }

  /// The user's sessions, newest first.
  public func sessions(userID: String) throws -> [SessionRecord] {
    try rows(
      sql: "SELECT \(Self.sessionColumns) FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id", userID
    ).map(Self.sessionRecord)
  }

  /// Deletes one of the user's sessions; returns false when it was not theirs or is gone.
  @discardableResult
  public func deleteSession(id: String, userID: String) throws -> Bool {
    try execute(sql: "DELETE FROM sessions WHERE id = ? AND user_id = ?", id, userID)
    return changes == 1
  }

  /// Deletes every session of the user except `keeping`; returns their ids.
  @discardableResult
  public func deleteSessions(userID: String, keeping: String? = nil) throws -> [String] {
    let ids: [String] = try rows(
      sql: "SELECT id FROM sessions WHERE user_id = ? AND id IS NOT ?", userID, keeping
    ).map { try $0.get(0) }
    try execute(sql: "DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?", userID, keeping)
    return ids
  }

  /// Records when sessions were last used; a session that is gone is skipped.
  public func touchSessions(_ lastUsed: [String: Date]) throws {
    for (id, time) in lastUsed {
      try execute(sql: "UPDATE sessions SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?", time, id)
    }
  }

  /// Deletes sessions that expired before `now`.
  public func deleteExpiredSessions(now: Date) throws -> Int {
    try execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", now)
    return changes
  }

  private static func sessionRecord(_ row: Row) throws -> SessionRecord {
    SessionRecord(
      id: try row.get(0), userID: try row.get(1), tokenHash: try row.get(2), organizationID: try row.get(3),
      createdAt: try row.get(4), expiresAt: try row.get(5), lastUsedAt: try row.get(6))
  }
}
