import Foundation
import ProfileStore
import Testing

@Suite("Database")
struct DatabaseTests {
  static let valuesMigration = Migration(
    number: 1, name: "values",
    sql: """
      CREATE TABLE t (
        id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, d INTEGER, flag INTEGER
      );
      """)

  /// Runs a write on a fresh database that has table `t`.
  static func withValuesPool<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T)
    async throws -> T
  {
    try await withTemporaryDirectory { directory in
      let pool = try DatabasePool(path: directory + "/db.sqlite", migrations: [valuesMigration])
      let value = await outcome { try await pool.write(body) }
      await pool.close()
      return try value.get()
    }
  }

  @Test func typedValuesRoundTrip() async throws {
    let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
    let blob = Data([0, 1, 0, 255, 0])
    let text = "héllo wörld 🌍 日本語 a\u{0}b"
    try await Self.withValuesPool { db in
      let rows: [[(any DatabaseValueConvertible)?]] = [
        [1, Int64.max, Double.pi, text, blob, date, true],
        [2, Int64.min, -0.5, "", Data(), Date(timeIntervalSince1970: -1.5), false],
        [3, nil, nil, nil, nil, nil, nil],
        [4, Int32.max, 1e300, "x", [UInt8]([1, 2, 3]), date, true],
      ]
      for arguments in rows {
        try db.execute(sql: "INSERT INTO t (id, i, r, s, b, d, flag) VALUES (?, ?, ?, ?, ?, ?, ?)",
          arguments: arguments)
      }
      let all = try db.rows(sql: "SELECT * FROM t ORDER BY id")
      #expect(all.count == 4)

      let first = all[0]
      #expect(try first.get("i") as Int64 == .max)
      #expect(try first.get("r") as Double == .pi)
      #expect(try first.get("s") as String == text)
      #expect(try first.get("b") as Data == blob)
      #expect(try first.get("d") as Date == date)
      #expect(try first.get("flag") as Bool == true)
      #expect(first["d"] == .integer(1_700_000_000_123_456))

      let second = all[1]
      #expect(try second.get(1) as Int64 == .min)
      #expect(try second.get(3) as String == "")
      #expect(second["s"] == .text(""))
      #expect(second["b"] == .blob(Data()))
      #expect(try second.get(5) as Date == Date(timeIntervalSince1970: -1.5))
      #expect(second["d"] == .integer(-1_500_000))
      #expect(try second.get(6) as Bool == false)

      let third = all[2]
      for column in ["i", "r", "s", "b", "d", "flag"] {
        #expect(third[column] == .null)
      }
      #expect(try third.get("s") as String? == nil)
      #expect(try third.get("d") as Date? == nil)
      #expect(try third.get("i") as DatabaseValue == .null)

      let fourth = all[3]
      #expect(try fourth.get("i") as Int32 == .max)
      #expect(try fourth.get("r") as Double == 1e300)
      #expect(try fourth.get("b") as [UInt8] == [1, 2, 3])
      #expect(try fourth.get("id") as Int == 4)
      #expect(fourth.columnNames == ["id", "i", "r", "s", "b", "d", "flag"])
    }
  }

  @Test func dateMicrosecondsAreExact() async throws {
    // Microseconds at the edges of the double precision of present-day dates.
    let microseconds: [Int64] = [0, 1, -1, 1_700_000_000_000_001, 1_700_000_000_999_999, -86_400_000_001]
    try await Self.withValuesPool { db in
      for value in microseconds {
        let date = try #require(Date(databaseValue: .integer(value)))
        #expect(date.databaseValue == .integer(value))
        try db.execute(sql: "INSERT INTO t (d) VALUES (?)", date)
        #expect(try db.value(Int64.self, sql: "SELECT d FROM t WHERE id = ?", db.lastInsertRowID) == value)
      }
    }
    #expect(Date.distantFuture.databaseValue != .integer(.max))
    #expect(Date(timeIntervalSince1970: 1e300).databaseValue == .integer(.max))
  }

  @Test func decodingErrorsAreMismatchAndRange() async throws {
    try await Self.withValuesPool { db in
      try db.execute(sql: "INSERT INTO t (i, s, r) VALUES (?, ?, ?)", 5_000_000_000, "text", 1.5)
      let row = try #require(try db.row(sql: "SELECT i, s, r, b FROM t"))
      for attempt: () throws -> Void in [
        { _ = try row.get("s") as Int },
        { _ = try row.get("i") as String },
        { _ = try row.get("i") as Int32 },
        { _ = try row.get("r") as Int64 },
        { _ = try row.get("b") as Data },
        { _ = try row.get("s") as Bool? },
      ] {
        let error = #expect(throws: DatabaseError.self) { try attempt() }
        #expect(error.map { DatabaseError.mismatch ~= $0 } == true)
      }
      for attempt: () throws -> Void in [
        { _ = try row.get(9) as Int },
        { _ = try row.get("missing") as Int? },
        { try db.execute(sql: "INSERT INTO t (i) VALUES (?)", 1, 2) },
        { try db.execute(sql: "INSERT INTO t (i) VALUES (?)") },
      ] {
        let error = #expect(throws: DatabaseError.self) { try attempt() }
        #expect(error.map { DatabaseError.range ~= $0 } == true)
      }
      #expect(try row.get("I") as Int64 == 5_000_000_000)
      #expect(row["missing"] == nil)
    }
  }

  @Test func constraintErrorsMatchTheirCodes() async throws {
    try await withItemsPool { pool in
      try await pool.write { db in
        try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "secret-value")
      }
      do {
        try await pool.write { db in
          try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "secret-value")
        }
        Issue.record("the duplicate was accepted")
      } catch DatabaseError.constraintForeignKey {
        Issue.record("matched the wrong extended code")
      } catch DatabaseError.constraintUnique {
        // Expected.
      }

      let error = await #expect(throws: DatabaseError.self) {
        try await pool.write { db in
          try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "secret-value")
        }
      }
      let databaseError = try #require(error)
      #expect(DatabaseError.constraint ~= databaseError)
      #expect(!(DatabaseError.busy ~= databaseError))
      #expect(databaseError.resultCode == DatabaseError.constraint)
      #expect(databaseError.extendedResultCode == DatabaseError.constraintUnique)
      #expect(databaseError.sql == "INSERT INTO items (name) VALUES (?)")
      let description = databaseError.description
      #expect(description.contains("UNIQUE constraint failed: items.name"))
      #expect(description.contains("INSERT INTO items"))
      #expect(!description.contains("secret-value"))
      #expect(!(DatabaseError.constraint ~= TestError()))
    }
  }

  @Test func oneStatementPerExecuteAndScriptsForMore() async throws {
    try await Self.withValuesPool { db in
      let error = #expect(throws: DatabaseError.self) {
        try db.execute(sql: "INSERT INTO t (i) VALUES (1); DROP TABLE t")
      }
      #expect(error.map { DatabaseError.misuse ~= $0 } == true)
      #expect(try db.value(Int.self, sql: "SELECT count(*) FROM t") == 0)

      try db.execute(sql: "INSERT INTO t (i) VALUES (1); -- a trailing comment\n  ")
      try db.executeScript(sql: "INSERT INTO t (i) VALUES (2); INSERT INTO t (i) VALUES (3);")
      #expect(try db.value(Int.self, sql: "SELECT sum(i) FROM t") == 6)
    }
  }

  @Test func cachedStatementsFollowSchemaChanges() async throws {
    try await Self.withValuesPool { db in
      try db.execute(sql: "INSERT INTO t (i) VALUES (?)", 7)
      #expect(try db.row(sql: "SELECT * FROM t")?.count == 7)
      try db.execute(sql: "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'new'")
      let row = try #require(try db.row(sql: "SELECT * FROM t"))
      #expect(row.count == 8)
      #expect(try row.get("extra") as String == "new")

      #expect(try db.rows(sql: "SELECT * FROM t WHERE i > ?", 0).first?.count == 8)
      try db.execute(sql: "ALTER TABLE t ADD COLUMN later INTEGER DEFAULT 5")
      let rows = try db.rows(sql: "SELECT * FROM t WHERE i > ?", 0)
      #expect(rows.first?.columnNames.last == "later")
      #expect(try rows.first?.get("later") as Int? == 5)
    }
  }

  @Test func changesLastInsertRowIDAndEmptyResults() async throws {
    try await Self.withValuesPool { db in
      try db.execute(sql: "INSERT INTO t (id, i) VALUES (?, ?)", 10, 1)
      #expect(db.lastInsertRowID == 10)
      try db.execute(sql: "INSERT INTO t (i) VALUES (?)", 1)
      #expect(db.lastInsertRowID == 11)
      try db.execute(sql: "UPDATE t SET i = i + 1")
      #expect(db.changes == 2)
      #expect(try db.row(sql: "SELECT * FROM t WHERE id = ?", 99) == nil)
      #expect(try db.value(Int.self, sql: "SELECT i FROM t WHERE id = ?", 99) == nil)
      #expect(try db.rows(sql: "SELECT * FROM t WHERE i > ?", 100).isEmpty)
      #expect(db.isInsideTransaction)
    }
  }

  @Test func manyDistinctStatementsOutgrowTheCache() async throws {
    try await Self.withValuesPool { db in
      for index in 0..<600 {
        let sum = try db.value(Int.self, sql: "SELECT \(index) + ?", 1)
        #expect(sum == index + 1)
      }
    }
  }
}
