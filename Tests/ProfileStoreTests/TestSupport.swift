import Foundation
import ProfileStore
import Synchronization

/// Runs `body` with the path of a fresh directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("ProfileStoreTests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try await body(url.path)
}

/// Runs `body` with a pool on a fresh file that has the `items` table, then closes the pool.
func withItemsPool<T>(
  configuration: DatabasePool.Configuration = DatabasePool.Configuration(),
  _ body: (DatabasePool) async throws -> T
) async throws -> T {
  try await withPool(migrations: itemsMigrations, configuration: configuration, body)
}

/// Runs `body` with a pool on a fresh file migrated with `migrations`, then closes the pool.
func withPool<T>(
  migrations: [Migration],
  configuration: DatabasePool.Configuration = DatabasePool.Configuration(),
  _ body: (DatabasePool) async throws -> T
) async throws -> T {
  try await withTemporaryDirectory { directory in
    let pool = try DatabasePool(
      path: directory + "/test.sqlite", configuration: configuration, migrations: migrations)
    do {
      let result = try await body(pool)
      await pool.close()
      return result
    } catch {
      await pool.close()
      throw error
    }
  }
}

/// One table with a unique name, for the pool tests.
let itemsMigrations = [
  Migration(
    number: 1, name: "items",
    sql: """
      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        value INTEGER
      );
      """)
]

/// An error that is not a database error.
struct TestError: Error, Equatable {
  var tag = 0
}

/// Counts rows of `items`.
func itemCount(_ pool: DatabasePool) async throws -> Int {
  try await pool.read { db in try db.value(Int.self, sql: "SELECT count(*) FROM items") ?? 0 }
}

/// The outcome of an async throwing call, to inspect after a task group.
func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
  do {
    return .success(try await body())
  } catch {
    return .failure(error)
  }
}

/// Mutable state that write bodies (which are `@Sendable`) can record into.
final class Recorder<Value: Sendable>: Sendable {
  let state: Mutex<Value>

  init(_ value: Value) {
    state = Mutex(value)
  }
}

/// Blocks the calling thread until `condition` holds or `timeout` passes; for bodies that run
/// on the pool's threads. Returns whether the condition held.
///
/// The default is long because a condition that holds returns at once, while a parallel test
/// run on two cores has stalled other tests' tasks for tens of seconds.
@discardableResult
func blockUntil(timeout: Duration = .seconds(60), _ condition: () -> Bool) -> Bool {
  let deadline = ContinuousClock.now + timeout
  while !condition() {
    guard ContinuousClock.now < deadline else { return false }
    Thread.sleep(forTimeInterval: 0.005)
  }
  return true
}

/// Suspends until `condition` holds or `timeout` passes. Returns whether the condition held.
/// The default is long for the same reason as ``blockUntil(timeout:_:)``'s.
@discardableResult
func waitUntil(timeout: Duration = .seconds(60), _ condition: () -> Bool) async throws -> Bool {
  let deadline = ContinuousClock.now + timeout
  while !condition() {
    guard ContinuousClock.now < deadline else { return false }
    try await Task.sleep(for: .milliseconds(5))
  }
  return true
}
