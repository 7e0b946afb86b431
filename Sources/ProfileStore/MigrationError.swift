/// Why a ``DatabasePool`` refused to open its database schema.
///
/// Match on ``code``:
///
/// ```swift
/// do {
///   pool = try DatabasePool(path: path, migrations: migrations)
/// } catch let error as MigrationError where error.code == .databaseIsNewer {
///   // an older binary met a database written by a newer one
/// }
/// ```
public struct MigrationError: Error, CustomStringConvertible, Sendable {
  /// The kind of failure; a struct so that new kinds can be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case databaseIsNewer
      case migrationFailed
      case invalidMigrations
    }

    private let wrapped: Wrapped

    /// The database has a schema version above the last known migration: it was written by a
    /// newer binary, and this one would misread it.
    public static let databaseIsNewer = Code(wrapped: .databaseIsNewer)

    /// A migration threw; ``MigrationError/underlyingError`` says why. Nothing was applied.
    public static let migrationFailed = Code(wrapped: .migrationFailed)

    /// The migration list has a duplicate or non-positive number.
    public static let invalidMigrations = Code(wrapped: .invalidMigrations)

    public var description: String {
      switch wrapped {
      case .databaseIsNewer: "database is newer"
      case .migrationFailed: "migration failed"
      case .invalidMigrations: "invalid migrations"
      }
    }
  }

  public let code: Code

  /// The schema version the database had before, and still has.
  public let databaseVersion: Int?

  /// The number of the last migration this binary knows.
  public let latestKnownVersion: Int?

  /// The migration that failed, for ``Code/migrationFailed``.
  public let migration: (number: Int, name: String)?

  /// What the failed migration threw, usually a ``DatabaseError``.
  public let underlyingError: (any Error)?

  /// The complete explanation.
  public let message: String

  public var description: String { message }

  static func databaseIsNewer(databaseVersion: Int, latestKnownVersion: Int, path: String)
    -> MigrationError
  {
    MigrationError(
      code: .databaseIsNewer, databaseVersion: databaseVersion,
      latestKnownVersion: latestKnownVersion, migration: nil, underlyingError: nil,
      message: "the database at \(path) has schema version \(databaseVersion), but this binary "
        + "knows migrations only up to version \(latestKnownVersion); "
        + "it was written by a newer release: run that release or restore a backup")
  }

  static func migrationFailed(
    _ migration: Migration, databaseVersion: Int, latestKnownVersion: Int, error: any Error
  ) -> MigrationError {
    MigrationError(
      code: .migrationFailed, databaseVersion: databaseVersion,
      latestKnownVersion: latestKnownVersion, migration: (migration.number, migration.name),
      underlyingError: error,
      message: "migration \(migration.number) (\(migration.name)) failed, the database stays at "
        + "schema version \(databaseVersion): \(error)")
  }

  static func invalidMigrations(_ reason: String) -> MigrationError {
    MigrationError(
      code: .invalidMigrations, databaseVersion: nil, latestKnownVersion: nil, migration: nil,
      underlyingError: nil, message: "invalid migration list: \(reason)")
  }
}
