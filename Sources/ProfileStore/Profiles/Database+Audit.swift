public import Foundation

extension Database {
  /// The audit trail of `subjectUserID`, newest first: at most `limit` entries with
  /// `from <= time < to` (each bound only when given).
  public func auditEvents(subject subjectUserID: String, from: Date?, to: Date?, limit: Int) throws -> [AuditEventRecord] {
    var sql = """
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid
      FROM audit_events WHERE subject_user_id = ?
      """
    var arguments: [(any DatabaseValueConvertible)?] = [subjectUserID]
    Self.appendTimeBounds(from: from, to: to, into: &sql, arguments: &arguments)
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
