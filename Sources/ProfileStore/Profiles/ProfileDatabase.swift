internal import Foundation

/// profiled's database: the `profiled.sqlite` file in the data directory, migrated to
/// ``ProfileSchema``, behind a ``DatabasePool``.
///
/// Record access lives in extensions of ``Database`` (`Database+Users.swift`, ...), so one
/// `pool.write { db in ... }` can combine a change, its audit entry and its outbox messages in
/// one transaction.
public final class ProfileDatabase: Sendable {
  public static let fileName = "profiled.sqlite"

  public let pool: DatabasePool

  /// Opens or creates the database in `directory`, applying pending migrations.
  ///
  /// - Throws: ``MigrationError`` when the file is newer than this binary; ``DatabaseError``
  ///   when it cannot be opened.
  public init(directory: String, configuration: DatabasePool.Configuration = DatabasePool.Configuration()) throws {
    pool = try DatabasePool(
      path: (directory as NSString).appendingPathComponent(Self.fileName),
      configuration: configuration, migrations: ProfileSchema.migrations)
  }

  public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    try await pool.write(body)
  }

  public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    try await pool.read(body)
  }

  public func close() async {
    await pool.close()
  }
}
