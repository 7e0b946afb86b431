/// Brings a database to the latest schema version in one transaction.
///
/// The version lives in `PRAGMA user_version`, which is part of the database file and of its
/// transactions: either every pending migration and the new version commit, or nothing does.
struct Migrator {
  /// Sorted by number.
  let migrations: [Migration]

  /// The version a fully migrated database has; 0 without migrations.
  var latestVersion: Int { migrations.last?.number ?? 0 }

  init(_ migrations: [Migration]) throws {
    let sorted = migrations.sorted { $0.number < $1.number }
    if let invalid = sorted.first(where: { $0.number < 1 }) {
      throw MigrationError.invalidMigrations(
        "migration \(invalid.name) has number \(invalid.number); numbers start at 1")
    }
    for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.number == next.number {
      throw MigrationError.invalidMigrations(
        "migrations \(previous.name) and \(next.name) share number \(next.number)")
    }
    self.migrations = sorted
  }

  /// Applies the pending migrations and returns their numbers; empty when the schema was current.
  ///
  /// Foreign keys are off while migrations run, so tables can be rebuilt (SQLite's recommended
  /// procedure), and checked as a whole before the commit. Throws ``MigrationError`` when the
  /// database is newer than ``latestVersion`` or a migration fails; the database is unchanged then.
  func migrate(_ db: Database) throws -> [Int] {
    // The pragma is a no-op inside a transaction, so it goes first.
    try db.executeEngineStatement("PRAGMA foreign_keys = OFF")
    let applied: [Int]
    do {
      applied = try migrateInTransaction(db)
    } catch {
      try db.executeEngineStatement("PRAGMA foreign_keys = ON")
      throw error
    }
    try db.executeEngineStatement("PRAGMA foreign_keys = ON")
    return applied
  }

  private func migrateInTransaction(_ db: Database) throws -> [Int] {
    // IMMEDIATE: two processes opening the same file migrate one after the other.
    try db.begin(.immediate)
    do {
      let current = try db.value(Int.self, sql: "PRAGMA user_version") ?? 0
      guard current <= latestVersion else {
        throw MigrationError.databaseIsNewer(
          databaseVersion: current, latestKnownVersion: latestVersion, path: db.path)
      }
      let pending = migrations.filter { $0.number > current }
      for migration in pending {
        do {
          try db.withTransactionControlLocked { try migration.apply(db) }
          db.resetBusyStatements()
        } catch {
          throw MigrationError.migrationFailed(
            migration, databaseVersion: current, latestKnownVersion: latestVersion, error: error)
        }
      }
      if let last = pending.last {
        try checkForeignKeys(db, after: last, databaseVersion: current)
        // A pragma takes no bound parameters; the number is ours, not input.
        try db.executeScript(sql: "PRAGMA user_version = \(last.number)")
      }
      try db.commit()
      return pending.map(\.number)
    } catch {
      db.rollback()
      throw error
    }
  }

  private func checkForeignKeys(_ db: Database, after last: Migration, databaseVersion: Int) throws {
    let violations = try db.rows(sql: "PRAGMA foreign_key_check")
    guard let first = violations.first else { return }
    let table: String = (try? first.get(0)) ?? "?"
    let parent: String = (try? first.get(2)) ?? "?"
    let error = DatabaseError(
      resultCode: DatabaseError.constraintForeignKey,
      message: "\(violations.count) foreign key violation(s) after the migrations, "
        + "the first in table \(table) referencing \(parent)")
    throw MigrationError.migrationFailed(
      last, databaseVersion: databaseVersion, latestKnownVersion: latestVersion, error: error)
  }
}
