import Foundation
import ProfileStore
import Testing

/// The audit trail's two tables: new entries in `audit_events_recent`, folded into the indexed
/// `audit_events` every 1,024 ids, read as one trail.
@Suite("Audit trail")
struct AuditTrailTests {
  static let subjects = ["user-a", "user-b", "user-c"]
  static let start = Date(timeIntervalSince1970: 1_800_000_000)

  /// Entry `index` (0-based): subjects take turns, and three consecutive entries share a time,
  /// so the order by time needs the id to break ties.
  static func context(_ index: Int) -> MutationContext {
    MutationContext(
      actor: "actor-\(index)", requestID: "request-\(index)", peerUID: 1000,
      now: start.addingTimeInterval(Double(index / 3)))
  }

  /// Adds entries `range`, 100 to a write.
  static func addEntries(_ range: Range<Int>, to pool: DatabasePool) async throws {
    for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 100) {
      try await pool.write { db in
        for index in chunk..<min(chunk + 100, range.upperBound) {
          try db.audit(
            "action-\(index)", subject: subjects[index % subjects.count], target: "target-\(index)",
            context: context(index))
        }
      }
    }
  }

  static func counts(_ pool: DatabasePool) async throws -> (folded: Int, recent: Int) {
    try await pool.read { db in
      (
        try db.value(Int.self, sql: "SELECT count(*) FROM audit_events") ?? -1,
        try db.value(Int.self, sql: "SELECT count(*) FROM audit_events_recent") ?? -1
      )
    }
  }

  @Test func entriesKeepTheirIDsAndOrderAcrossFolds() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await Self.addEntries(0..<2_500, to: pool)

      let (folded, recent) = try await Self.counts(pool)
      #expect(folded == 2_048)
      #expect(recent == 452)
      let ids = try await pool.read { db in
        try db.rows(sql: "SELECT id FROM audit_trail ORDER BY id").map { row -> Int64 in try row.get(0) }
      }
      #expect(ids == Array(1...2_500))

      for (offset, subject) in Self.subjects.enumerated() {
        // Entry i has id i + 1; newest first is by time, then id, both descending.
        let expected = stride(from: offset, to: 2_500, by: Self.subjects.count).reversed().map { index in
          AuditEventRecord(
            id: Int64(index + 1), time: Self.context(index).now, subjectUserID: subject,
            actor: "actor-\(index)", action: "action-\(index)", target: "target-\(index)",
            requestID: "request-\(index)", peerUID: 1000)
        }
        let all = try await pool.read { db in
          try db.auditEvents(subject: subject, from: nil, to: nil, limit: 5_000)
        }
        #expect(all == expected)
        let newest = try await pool.read { db in
          try db.auditEvents(subject: subject, from: nil, to: nil, limit: 10)
        }
        #expect(newest == Array(expected.prefix(10)))
      }

      // A window that spans both tables: entries 2,040 to 2,069 by time (times 680...689).
      let from = Self.start.addingTimeInterval(680)
      let to = Self.start.addingTimeInterval(690)
      let window = try await pool.read { db in
        try db.auditEvents(subject: "user-a", from: from, to: to, limit: 100)
      }
      #expect(window.map(\.action) == stride(from: 2_040, to: 2_070, by: 3).reversed().map { "action-\($0)" })
      #expect(window.contains { $0.id <= 2_048 } && window.contains { $0.id > 2_048 })
    }
  }

  @Test func pagesAfterAPositionNeitherSkipNorRepeatEntriesThatShareATime() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      // 1,100 entries of one user, five to a time: 1,024 fold into `audit_events`, 76 stay recent,
      // and the time 1,020...1,024 shares (entries 1,020 to 1,024) straddles the two tables.
      try await pool.write { db in
        for index in 0..<1_100 {
          try db.audit(
            "action-\(index)", subject: "user-a", target: "t",
            context: MutationContext(
              actor: "a", requestID: "r", peerUID: 0, now: Self.start.addingTimeInterval(Double(index / 5))))
        }
        try db.audit("other", subject: "user-b", target: "t", context: Self.context(0))
      }
      #expect(try await Self.counts(pool) == (1_024, 77))
      let all = try await pool.read { db in
        try db.auditEvents(subject: "user-a", from: nil, to: nil, limit: 5_000)
      }
      #expect(all.map(\.id) == Array((1...1_100).reversed()))

      for limit in [1, 3, 7, 5] {
        var paged: [AuditEventRecord] = []
        var position: AuditTrailPosition?
        // Bounded: a position that does not advance must fail the test, not hang it.
        for _ in 0...(all.count / limit + 1) {
          let page = try await pool.read { [position] db in
            try db.auditEvents(subject: "user-a", from: nil, to: nil, after: position, limit: limit)
          }
          guard let last = page.last else { break }
          paged += page
          position = try await pool.read { db in try db.auditTrailPosition(ofEntry: last.id, subject: "user-a") }
          #expect(position?.id == last.id)
        }
        #expect(paged == all, "pages of \(limit)")
      }

      // With a time window: times 203...205 hold ids 1,016 to 1,030; after id 1,027 (time 205, a
      // recent entry) come 1,026 down to 1,016, from both tables.
      let window = try await pool.read { db in
        try db.auditEvents(
          subject: "user-a", from: Self.start.addingTimeInterval(203), to: Self.start.addingTimeInterval(206),
          after: try db.auditTrailPosition(ofEntry: 1_027, subject: "user-a"), limit: 100)
      }
      #expect(window.map(\.id) == Array((1_016...1_026).reversed()))

      // Another user's entry, or none, is no position in this trail.
      let foreign = try await pool.read { db in try db.auditTrailPosition(ofEntry: 1_101, subject: "user-a") }
      let missing = try await pool.read { db in try db.auditTrailPosition(ofEntry: 5_000, subject: "user-a") }
      #expect(foreign == nil && missing == nil)
      let own = try await pool.read { db in try db.auditTrailPosition(ofEntry: 1_101, subject: "user-b") }
      #expect(own?.id == 1_101)
    }
  }

  @Test func aFoldUndoneWithItsWriteHappensWithTheNextEntry() async throws {
    struct Refused: Error {}
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await Self.addEntries(0..<1_023, to: pool)
      #expect(try await Self.counts(pool) == (0, 1_023))

      // The 1,024th entry folds, but its write throws: the entry and the fold are undone.
      await #expect(throws: Refused.self) {
        try await pool.write { db in
          try db.audit("refused", subject: "user-a", target: "t", context: Self.context(1_023))
          #expect(db.lastInsertRowID == 1_024)
          throw Refused()
        }
      }
      #expect(try await Self.counts(pool) == (0, 1_023))

      try await Self.addEntries(1_023..<1_024, to: pool)
      #expect(try await Self.counts(pool) == (1_024, 0))
      let newest = try await pool.read { db in
        try db.auditEvents(subject: Self.subjects[1_023 % 3], from: nil, to: nil, limit: 1)
      }
      #expect(newest.map(\.id) == [1_024])
      #expect(newest.map(\.action) == ["action-1023"])
    }
  }

  @Test func migratingContinuesTheIDsOfEarlierEntries() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/profiled.sqlite"
      let before = Array(ProfileSchema.migrations.prefix { $0.number < 5 })
      let old = try DatabasePool(path: path, migrations: before)
      try await old.write { db in
        for index in 0..<7 {
          let context = Self.context(index)
          try db.execute(
            sql: """
              INSERT INTO audit_events (time, subject_user_id, actor, action, target, request_id, peer_uid)
              VALUES (?, 'user-a', ?, ?, 't', ?, 1000)
              """,
            context.now, context.actor, "old-\(index)", context.requestID)
        }
      }
      await old.close()

      let pool = try DatabasePool(path: path, migrations: Array(ProfileSchema.migrations.prefix { $0.number <= 5 }))
      #expect(pool.appliedMigrations == [5])
      try await pool.write { db in
        try db.audit("new", subject: "user-a", target: "t", context: Self.context(30))
      }
      let trail = try await pool.read { db in
        try db.auditEvents(subject: "user-a", from: nil, to: nil, limit: 100)
      }
      await pool.close()
      #expect(trail.map(\.id) == Array((1...8).reversed()))
      #expect(trail.map(\.action) == ["new"] + (0..<7).reversed().map { "old-\($0)" })
    }
  }

  @Test func migrationSevenKeepsStagedEntriesAndTheirSequence() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/profiled.sqlite"
      // 1,030 entries under migration 6: 1,024 folded, 6 staged with AUTOINCREMENT ids.
      let old = try DatabasePool(path: path, migrations: Array(ProfileSchema.migrations.prefix { $0.number <= 6 }))
      try await Self.addEntries(0..<1_030, to: old)
      #expect(try await Self.counts(old) == (1_024, 6))
      await old.close()

      let pool = try DatabasePool(path: path, migrations: ProfileSchema.migrations)
      #expect(pool.appliedMigrations == [7])
      #expect(try await Self.counts(pool) == (1_024, 6))
      let (sequenceRows, staging) = try await pool.read { db in
        (
          try db.value(Int.self, sql: "SELECT count(*) FROM sqlite_sequence WHERE name = 'audit_events_recent'"),
          try db.value(String.self, sql: "SELECT sql FROM sqlite_master WHERE name = 'audit_events_recent'")
        )
      }
      #expect(sequenceRows == 0)
      #expect(staging?.contains("AUTOINCREMENT") == false)

      // New entries continue the ids, through the next fold (at id 2,048) and past it.
      try await Self.addEntries(1_030..<2_100, to: pool)
      #expect(try await Self.counts(pool) == (2_048, 52))
      let ids = try await pool.read { db in
        try db.rows(sql: "SELECT id FROM audit_trail ORDER BY id").map { row -> Int64 in try row.get(0) }
      }
      #expect(ids == Array(1...2_100))
      let newest = try await pool.read { db in
        try db.auditEvents(subject: Self.subjects[2_099 % 3], from: nil, to: nil, limit: 1)
      }
      await pool.close()
      #expect(newest.map(\.id) == [2_100])
      #expect(newest.map(\.action) == ["action-2099"])
    }
  }
}
