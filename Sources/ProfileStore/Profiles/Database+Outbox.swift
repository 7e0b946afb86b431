public import Foundation

extension Database {
  /// Up to `limit` messages not yet delivered, oldest first.
  ///
  /// - Throws: ``DatabaseError/mismatch`` when a stored row is not a valid message.
  public func pendingOutboxMessages(limit: Int) throws -> [OutboxMessage] {
    try rows(
      sql: """
        SELECT id, channel, recipient, template, parameters, created_at FROM outbox
        WHERE delivered_at IS NULL ORDER BY id LIMIT ?
        """, Int64(limit)
    ).map { row in
      let channelValue: Int = try row.get(1)
      let parametersText: String = try row.get(4)
      guard let channel = OutboxMessage.Channel(rawValue: channelValue),
        let parameters = try? JSONSerialization.jsonObject(with: Data(parametersText.utf8)) as? [String: String]
      else {
        throw DatabaseError(resultCode: DatabaseError.mismatch, message: "outbox row \(try row.get(0) as Int64) is malformed")
      }
      return OutboxMessage(
        id: try row.get(0), channel: channel, recipient: try row.get(2), template: try row.get(3),
        parameters: parameters, createdAt: try row.get(5))
    }
  }

  /// Marks the messages with these ids delivered at `now`; returns how many were still pending
  /// (unknown and already delivered ids are skipped). A delivered message keeps its other
  /// parameters but loses its `code`: a verification code is stored only as a hash once it has
  /// left, so a copy of the database does not hold codes that still work.
  ///
  /// The ids travel as one JSON array argument (`json_each`), so lists of every length share
  /// one prepared statement instead of crowding the writer's statement cache.
  public func acknowledgeOutboxMessages(ids: [Int64], now: Date) throws -> Int {
    guard !ids.isEmpty else { return 0 }
    let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
    try execute(
      sql: """
        UPDATE outbox SET delivered_at = ?, parameters = json_remove(parameters, '$.code')
        WHERE delivered_at IS NULL AND id IN (SELECT value FROM json_each(?))
        """,
      now, list)
    return changes
  }
}
