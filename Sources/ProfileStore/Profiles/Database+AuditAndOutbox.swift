internal import Foundation

extension Database {
  /// Appends an audit entry about `subjectUserID` (whose trail it joins). Call it inside the
  /// write that makes the change, so both commit or neither does.
  public func audit(_ action: String, subject subjectUserID: String, target: String, context: MutationContext) throws {
    try execute(
      sql: """
        INSERT INTO audit_events (time, subject_user_id, actor, action, target, request_id, peer_uid)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      context.now, subjectUserID, context.actor, action, target, context.requestID, Int64(context.peerUID))
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
