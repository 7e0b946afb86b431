/// One numbered step of the schema, applied once, in number order, when a ``DatabasePool`` opens.
///
/// Numbers must be positive and unique; gaps are allowed. The database records the number of the
/// last applied migration (`PRAGMA user_version`), so a released migration must never change:
/// add a new one instead.
///
/// ```swift
/// let migrations = [
///   Migration(number: 1, name: "users", sql: """
///     CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
///     """),
///   Migration(number: 2, name: "backfill") { db in
///     try db.execute(sql: "UPDATE users SET email = lower(email)")
///   },
/// ]
/// ```
public struct Migration: Sendable {
  /// The schema version the database has once this migration is applied.
  public let number: Int

  /// A short name for error messages.
  public let name: String

  let apply: @Sendable (Database) throws -> Void

  /// A migration that runs an SQL script (several `;`-separated statements).
  public init(number: Int, name: String, sql: String) {
    self.init(number: number, name: name) { db in try db.executeScript(sql: sql) }
  }

  /// A migration that runs Swift code.
  ///
  /// It runs inside the migration transaction with foreign keys checked only at the end, so
  /// tables can be rebuilt in any order; it must not begin or commit transactions.
  public init(number: Int, name: String, apply: @escaping @Sendable (Database) throws -> Void) {
    self.number = number
    self.name = name
    self.apply = apply
  }
}
