public import Foundation

extension Database {
  /// The audit trail of `subjectUserID`, newest first (by time, then id): at most `limit` entries
  /// with `from <= time < to` (each bound only when given) that come after `position` in that
  /// order, when one is given.
  ///
  /// Reads both `audit_events` (through its per-user index) and the unindexed
  /// `audit_events_recent`, which holds at most about ``auditFoldInterval`` entries; call it in
  /// one read so the two agree.
  public func auditEvents(
    subject subjectUserID: String, from: Date?, to: Date?, after position: AuditTrailPosition? = nil, limit: Int
  ) throws -> [AuditEventRecord] {
    let folded = try auditEvents(
      in: "audit_events", subject: subjectUserID, from: from, to: to, after: position, limit: limit)
    let recent = try auditEvents(
      in: "audit_events_recent", subject: subjectUserID, from: from, to: to, after: position, limit: limit)
    guard !recent.isEmpty else { return folded }
    let newestFirst = (folded + recent).sorted { ($0.time, $0.id) > ($1.time, $1.id) }
    return Array(newestFirst.prefix(limit))
  }

  /// Where the entry `id` of `subjectUserID`'s trail stands, to list the entries after it; nil
  /// when the trail has no entry with this id (it may be another user's).
  public func auditTrailPosition(ofEntry id: Int64, subject subjectUserID: String) throws -> AuditTrailPosition? {
    let time = try value(
      Int64.self, sql: "SELECT time FROM audit_trail WHERE id = ? AND subject_user_id = ?", id, subjectUserID)
    return time.map { AuditTrailPosition(microseconds: $0, id: id) }
  }

  /// One table's part of ``auditEvents(subject:from:to:after:limit:)``; `table` is one of the
  /// two audit tables, never input.
  private func auditEvents(
    in table: StaticString, subject subjectUserID: String, from: Date?, to: Date?, after position: AuditTrailPosition?,
    limit: Int
  ) throws -> [AuditEventRecord] {
    var sql = """
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid
      FROM \(table) WHERE subject_user_id = ?
      """
    var arguments: [(any DatabaseValueConvertible)?] = [subjectUserID]
    Self.appendTimeBounds(from: from, to: to, into: &sql, arguments: &arguments)
    if let position {
      // A row value: the per-user index serves it as a range (SQLite's "scrolling window").
      sql += " AND (time, id) < (?, ?)"
      arguments += [position.microseconds, position.id]
    }
    sql += " ORDER BY time DESC, id DESC LIMIT ?"
    arguments.append(Int64(limit))
    return try rows(sql: sql, arguments: arguments).map { row in
      let peerUID: Int64 = try row.get(7)
      return AuditEventRecord(
        id: try row.get(0), time: try row.get(1), subjectUserID: try row.get(2), actor: try row.get(3),
        action: try row.get(4), target: try row.get(5), requestID: try row.get(6),
        peerUID: UInt32(clamping: peerUID))
    }
  }

  /// Appends `AND time >= ?` and `AND time < ?` for the bounds that are given, with their
  /// arguments: the `from <= time < to` of the listing queries.
  static func appendTimeBounds(
    from: Date?, to: Date?, into sql: inout String, arguments: inout [(any DatabaseValueConvertible)?]
  ) {
    if let from {
      sql += " AND time >= ?"
      arguments.append(from)
    }
    if let to {
      sql += " AND time < ?"
      arguments.append(to)
    }
  }
}
