import Dispatch
import Foundation
import ProfileStore
import Synchronization
import Testing

/// The pipelined sync (`WALSyncer`) through a real pool on a real file, with the syncing thread
/// held before its `fdatasync` to see what waits for it.
///
/// The waits are long because the whole suite can keep both of a 2-core machine's cooperative
/// threads busy (the malformed-input run) for half a minute before a task here starts.
@Suite("WALSyncer")
struct WALSyncerTests {
  @Test func aWriteAndAReadThatSawItAnswerOnlyAfterTheSync() async throws {
    let gate = SyncGate()
    try await withItemsPool(configuration: gate.configuration) { pool in
      let answered = Recorder(0)
      let write = Task {
        defer { answered.state.withLock { $0 += 1 } }
        try await pool.write { db in
          try db.execute(sql: "INSERT INTO items (name, value) VALUES (?, ?)", "held", 1)
        }
      }
      // The commit is done and its sync is held.
      #expect(try await waitUntil(timeout: .seconds(120)) { gate.held == 1 })
      #expect(pool.statistics.commits == 1)
      let read = Task {
        defer { answered.state.withLock { $0 += 1 } }
        return try await itemCount(pool)
      }
      // The reader has seen the row by now, but holds its answer; so does the writer.
      try await Task.sleep(for: .milliseconds(300))
      #expect(answered.state.withLock { $0 } == 0)

      gate.open()
      try await write.value
      #expect(try await read.value == 1)
      #expect(pool.statistics.syncs >= 1)
    }
  }

  @Test func oneSyncCoversTheCommitsMadeWhileTheLastRan() async throws {
    let gate = SyncGate()
    try await withItemsPool(configuration: gate.configuration) { pool in
      let first = Task {
        try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('first')") }
      }
      #expect(try await waitUntil(timeout: .seconds(120)) { gate.held == 1 })
      // While the first sync is held, the writer goes on: four more commits, one at a time.
      var later: [Task<Void, any Error>] = []
      for index in 1...4 {
        later.append(
          Task {
            try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "later \(index)") }
          })
        #expect(try await waitUntil(timeout: .seconds(120)) { pool.statistics.commits == index + 1 })
      }
      gate.open()
      try await first.value
      for task in later {
        try await task.value
      }
      let statistics = pool.statistics
      #expect(statistics.commits == 5)
      // The held sync covered the first commit; the next one covered the other four.
      #expect(statistics.syncs == 2)
      #expect(try await itemCount(pool) == 5)
    }
  }

  @Test func inCommitModeSyncsInsideCommitWithoutTheThread() async throws {
    var configuration = DatabasePool.Configuration()
    configuration.syncMode = .inCommit
    configuration.beforeSync = { Issue.record("the syncing thread ran in inCommit mode") }
    try await withItemsPool(configuration: configuration) { pool in
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('one')") }
      #expect(try await itemCount(pool) == 1)
      #expect(pool.statistics.commits == 1)
      #expect(pool.statistics.syncs == 0)
    }
  }

  @Test func aFailedSyncFailsEveryAnswerFromThenOn() async throws {
    struct DiskGone: Error, CustomStringConvertible {
      var description: String { "the disk is gone" }
    }
    let failing = Atomic<Bool>(false)
    var configuration = DatabasePool.Configuration()
    configuration.beforeSync = {
      if failing.load(ordering: .relaxed) { throw DiskGone() }
    }
    try await withItemsPool(configuration: configuration) { pool in
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('synced')") }
      #expect(try await itemCount(pool) == 1)

      failing.store(true, ordering: .relaxed)
      let unsynced = await #expect(throws: DatabaseError.self) {
        try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('unsynced')") }
      }
      #expect(unsynced?.extendedResultCode.rawValue == 1034)  // SQLITE_IOERR_FSYNC
      #expect(unsynced?.message.contains("the disk is gone") == true)

      // Sticky: with the disk's state unknown, a later write, even one whose sync would pass,
      // and a read that may have seen the unsynced row, fail with the same error.
      failing.store(false, ordering: .relaxed)
      let later = await #expect(throws: DatabaseError.self) {
        try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('later')") }
      }
      #expect(later?.extendedResultCode.rawValue == 1034)
      await #expect(throws: DatabaseError.self) { try await itemCount(pool) }
    }
  }

  @Test func closingSyncsAndAnswersEveryQueuedWrite() async throws {
    let gate = SyncGate()
    try await withTemporaryDirectory { directory in
      let path = directory + "/test.sqlite"
      let pool = try DatabasePool(path: path, configuration: gate.configuration, migrations: itemsMigrations)
      let writes = (0..<20).map { index in
        Task {
          try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "item \(index)") }
        }
      }
      #expect(try await waitUntil(timeout: .seconds(120)) { gate.held == 1 })
      let closed = Task { await pool.close() }
      gate.open()
      for write in writes {
        try await write.value
      }
      await closed.value
      let reopened = try DatabasePool(path: path, migrations: itemsMigrations)
      #expect(try await itemCount(reopened) == 20)
      await reopened.close()
    }
  }
}

/// Holds the syncing thread in `beforeSync` until ``open()``.
private final class SyncGate: Sendable {
  private struct State {
    var isOpen = false
    var held = 0
  }

  private let state = Mutex(State())
  private let release = DispatchSemaphore(value: 0)

  /// A pool configuration whose syncing thread passes this gate before each sync.
  var configuration: DatabasePool.Configuration {
    var configuration = DatabasePool.Configuration()
    configuration.beforeSync = { [self] in pass() }
    return configuration
  }

  /// How many syncs wait at the gate now.
  var held: Int { state.withLock { $0.held } }

  func open() {
    let waiting = state.withLock { state in
      state.isOpen = true
      defer { state.held = 0 }
      return state.held
    }
    for _ in 0..<waiting {
      release.signal()
    }
  }

  private func pass() {
    let wait = state.withLock { state -> Bool in
      guard !state.isOpen else { return false }
      state.held += 1
      return true
    }
    if wait {
      release.wait()
    }
  }
}
