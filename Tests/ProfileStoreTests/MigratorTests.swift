import ProfileStore
import Testing

@Suite("Migrations")
struct MigratorTests {
  static let first = Migration(
    number: 1, name: "users", sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);")
  static let second = Migration(number: 2, name: "sessions") { db in
    try db.execute(
      sql: "CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id))")
  }
  static let third = Migration(
    number: 3, name: "tokens", sql: "CREATE TABLE tokens (id INTEGER PRIMARY KEY);")

  static func schemaVersion(_ pool: DatabasePool) async throws -> Int? {
    try await pool.read { db in try db.value(Int.self, sql: "PRAGMA user_version") }
  }

  static func tables(_ pool: DatabasePool) async throws -> Set<String> {
    try await pool.read { db in
      Set(
        try db.rows(sql: "SELECT name FROM sqlite_schema WHERE type = 'table'")
          .map { try $0.get(0) as String })
    }
  }

  static func open(_ path: String, _ migrations: [Migration]) throws -> DatabasePool {
    try DatabasePool(path: path, migrations: migrations)
  }

  @Test func freshDatabaseGetsAllAndReopenGetsNone() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      let pool = try Self.open(path, [Self.second, Self.first])
      #expect(pool.appliedMigrations == [1, 2])
      #expect(try await Self.schemaVersion(pool) == 2)
      #expect(try await Self.tables(pool).isSuperset(of: ["users", "sessions"]))
      await pool.close()

      let reopened = try Self.open(path, [Self.first, Self.second])
      #expect(reopened.appliedMigrations == [])
      #expect(try await Self.schemaVersion(reopened) == 2)
      await reopened.close()
    }
  }

  @Test func addedMigrationIsTheOnlyOneApplied() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      try await Self.open(path, [Self.first, Self.second]).close()
      let pool = try Self.open(path, [Self.first, Self.second, Self.third])
      #expect(pool.appliedMigrations == [3])
      #expect(try await Self.schemaVersion(pool) == 3)
      #expect(try await Self.tables(pool).contains("tokens"))
      await pool.close()
    }
  }

  @Test func newerDatabaseIsRefusedNamingBothVersions() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      try await Self.open(path, [Self.first, Self.second, Self.third]).close()
      let error = #expect(throws: MigrationError.self) {
        try Self.open(path, [Self.first, Self.second])
      }
      #expect(error?.code == .databaseIsNewer)
      #expect(error?.databaseVersion == 3)
      #expect(error?.latestKnownVersion == 2)
      let message = error?.description ?? ""
      #expect(message.contains("schema version 3"))
      #expect(message.contains("up to version 2"))

      // Refusing changed nothing: the newer binary still opens it.
      let pool = try Self.open(path, [Self.first, Self.second, Self.third])
      #expect(pool.appliedMigrations == [])
      await pool.close()
    }
  }

  @Test func failingMigrationLeavesTheOldVersion() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      try await Self.open(path, [Self.first]).close()
      let broken = Migration(number: 3, name: "broken", sql: "CREATE TABLE oops (;")
      let error = #expect(throws: MigrationError.self) {
        try Self.open(path, [Self.first, Self.second, broken])
      }
      #expect(error?.code == .migrationFailed)
      #expect(error?.migration?.number == 3)
      #expect(error?.databaseVersion == 1)
      #expect(error.map { DatabaseError.error ~= $0.underlyingError! } == true)

      // Migration 2 ran before 3 failed, and was rolled back with it.
      let pool = try Self.open(path, [Self.first])
      #expect(pool.appliedMigrations == [])
      #expect(try await Self.schemaVersion(pool) == 1)
      #expect(try await !Self.tables(pool).contains("sessions"))
      await pool.close()
    }
  }

  @Test func migrationCannotCommitOnItsOwn() async throws {
    try await withTemporaryDirectory { directory in
      let sneaky = Migration(
        number: 1, name: "sneaky", sql: "CREATE TABLE a (id INTEGER); COMMIT; CREATE TABLE b (x);")
      let error = #expect(throws: MigrationError.self) {
        try Self.open(directory + "/db.sqlite", [sneaky])
      }
      #expect(error.map { DatabaseError.authorization ~= $0.underlyingError! } == true)
      let pool = try Self.open(directory + "/db.sqlite", [])
      #expect(try await Self.tables(pool).isEmpty)
      await pool.close()
    }
  }

  @Test func foreignKeyViolationsFailTheMigrations() async throws {
    try await withTemporaryDirectory { directory in
      let orphan = Migration(number: 3, name: "orphan") { db in
        try db.execute(sql: "INSERT INTO sessions (user_id) VALUES (?)", 42)
      }
      let error = #expect(throws: MigrationError.self) {
        try Self.open(directory + "/db.sqlite", [Self.first, Self.second, orphan])
      }
      #expect(error.map { DatabaseError.constraintForeignKey ~= $0.underlyingError! } == true)
    }
  }

  @Test(arguments: [[1, 1], [0], [-3, 2]])
  func invalidMigrationListsAreRefused(numbers: [Int]) async throws {
    try await withTemporaryDirectory { directory in
      let migrations = numbers.map { Migration(number: $0, name: "m\($0)", sql: "SELECT 1;") }
      let error = #expect(throws: MigrationError.self) {
        try Self.open(directory + "/db.sqlite", migrations)
      }
      #expect(error?.code == .invalidMigrations)
    }
  }
}
