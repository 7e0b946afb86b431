import Foundation
import ProfileStore
import Testing

/// `outbox` through `Database` (`Database+Outbox.swift`): acknowledging lists of ids.
@Suite("Outbox")
struct DatabaseOutboxTests {
  static let created = Date(timeIntervalSince1970: 1_800_000_000)

  /// Queues `count` SMS messages, each with a code; returns their ids in order.
  static func enqueue(_ count: Int, in pool: DatabasePool) async throws -> [Int64] {
    try await pool.write { db in
      try (0..<count).map { index in
        try db.enqueue(
          OutboxMessage(
            channel: .sms, recipient: "+4412345678\(index % 10)", template: "phone-code",
            parameters: ["code": String(100_000 + index), "purpose": "verify"], createdAt: created))
        return db.lastInsertRowID
      }
    }
  }

  @Test func listsOfEveryLengthShareOneStatement() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      let ids = try await Self.enqueue(60, in: pool)
      let acknowledgedAt = Self.created.addingTimeInterval(60)
      // Lists of 1 to 10 ids, taken in turn from the front: 55 messages in all.
      let (acknowledged, statementsAdded) = try await pool.write { db -> ([Int], Int) in
        var acknowledged: [Int] = []
        _ = try db.acknowledgeOutboxMessages(ids: [ids[0]], now: acknowledgedAt)
        let before = db.cachedStatementCount
        var start = 1
        for length in 2...10 {
          acknowledged.append(try db.acknowledgeOutboxMessages(ids: Array(ids[start..<start + length]), now: acknowledgedAt))
          start += length
        }
        return (acknowledged, db.cachedStatementCount - before)
      }
      #expect(acknowledged == Array(2...10))
      #expect(statementsAdded == 0)

      let pending = try await pool.read { db in try db.pendingOutboxMessages(limit: 100) }
      #expect(pending.map(\.id) == Array(ids[55...]))
      #expect(pending.allSatisfy { $0.parameters["code"] != nil })
    }
  }

  @Test func repeatedUnknownAndDeliveredIDsAreSkipped() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      let ids = try await Self.enqueue(3, in: pool)
      let now = Self.created.addingTimeInterval(60)
      let first = try await pool.write { db in
        try db.acknowledgeOutboxMessages(ids: [ids[0], ids[0], ids[1], 9_999, -1], now: now)
      }
      let second = try await pool.write { db in try db.acknowledgeOutboxMessages(ids: [ids[1], ids[2]], now: now) }
      let none = try await pool.write { db in try db.acknowledgeOutboxMessages(ids: [], now: now) }
      #expect((first, second, none) == (2, 1, 0))

      // Delivered messages keep their other parameters and lose the code.
      let stored = try await pool.read { db in
        try db.rows(sql: "SELECT parameters, delivered_at FROM outbox ORDER BY id").map { row -> (String, Date?) in
          (try row.get(0), try row.get(1))
        }
      }
      #expect(stored.map(\.0) == Array(repeating: #"{"purpose":"verify"}"#, count: 3))
      #expect(stored.allSatisfy { $0.1 == now })
    }
  }
}
