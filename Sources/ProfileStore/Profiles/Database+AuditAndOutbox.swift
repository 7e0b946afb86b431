internal import CSQLite
internal import Foundation

extension Database {
  /// Recent audit entries move to the indexed table each time an entry's id reaches a
  /// multiple of this, so `audit_events_recent` (scanned by every listing) stays about this small.
  static let auditFoldInterval: Int64 = 1_024

  /// Appends an audit entry about `subjectUserID` (whose trail it joins). Call it inside the
  /// write that makes the change, so both commit or neither does.
  ///
  /// The entry goes to `audit_events_recent`; the write that adds every
  /// ``auditFoldInterval``-th entry also folds the recent entries into `audit_events`, in the
  /// same savepoint, so a rolled-back write takes its fold with it and the next one with that id
  /// folds again. ``lastInsertRowID`` is the entry's id afterwards: one past the newest entry of
  /// either table (entries are never deleted, only moved, so no id is given twice; a write that
  /// is undone gives its id back, as `AUTOINCREMENT` did, whose `sqlite_sequence` row cost a
  /// page in every write's savepoint).
  public func audit(_ action: String, subject subjectUserID: String, target: String, context: MutationContext) throws {
    try execute(
      sql: """
        INSERT INTO audit_events_recent (id, time, subject_user_id, actor, action, target, request_id, peer_uid)
        VALUES (
          coalesce((SELECT max(id) FROM audit_events_recent), (SELECT max(id) FROM audit_events), 0) + 1,
          ?, ?, ?, ?, ?, ?, ?)
        """,
      context.now, subjectUserID, context.actor, action, target, context.requestID, Int64(context.peerUID))
    let id = lastInsertRowID
    if id % Self.auditFoldInterval == 0 {
      try foldRecentAuditEvents()
      // The fold's own INSERT moved it: callers may read the entry's id as after any insert.
      sqlite3_set_last_insert_rowid(handle, id)
    }
  }

  /// Moves every entry of `audit_events_recent` to `audit_events` with its id, in the per-user
  /// index's order, so consecutive entries of one user land on the same index page.
  func foldRecentAuditEvents() throws {
    try execute(
      sql: """
        INSERT INTO audit_events (id, time, subject_user_id, actor, action, target, request_id, peer_uid)
        SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid
        FROM audit_events_recent ORDER BY subject_user_id, time DESC, id DESC
        """)
    try execute(sql: "DELETE FROM audit_events_recent")
  }

  /// Queues a message for delivery. Call it inside the write that causes it.
  public func enqueue(_ message: OutboxMessage) throws {
    let parameters = try JSONSerialization.data(withJSONObject: message.parameters, options: [.sortedKeys])
    try execute(
      sql: "INSERT INTO outbox (channel, recipient, template, parameters, created_at) VALUES (?, ?, ?, ?, ?)",
      Int64(message.channel.rawValue), message.recipient, message.template,
      String(decoding: parameters, as: UTF8.self), message.createdAt)
  }
}
