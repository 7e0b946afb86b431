import Foundation
import ProfileStore
import Synchronization
import Testing

@Suite("DatabasePool")
struct DatabasePoolTests {
  @Test(arguments: [DatabasePool.SyncMode.pipelined, .inCommit])
  func pragmasAreInForce(syncMode: DatabasePool.SyncMode) async throws {
    var configuration = DatabasePool.Configuration()
    configuration.syncMode = syncMode
    try await withItemsPool(configuration: configuration) { pool in
      let (journal, synchronous, foreignKeys) = try await pool.write { db in
        (
          try db.value(String.self, sql: "PRAGMA journal_mode"),
          try db.value(Int.self, sql: "PRAGMA synchronous"),
          try db.value(Int.self, sql: "PRAGMA foreign_keys")
        )
      }
      #expect(journal == "wal")
      // NORMAL when the syncing thread syncs the WAL, FULL when COMMIT does.
      #expect(synchronous == (syncMode == .pipelined ? 1 : 2))
      #expect(foreignKeys == 1)
      #expect(try await pool.read { db in try db.value(String.self, sql: "PRAGMA journal_mode") } == "wal")
    }
  }

  /// A write's savepoint keeps the originals of the pages it changes in memory: a write that
  /// changes about 100 existing pages (400 KiB of originals, past SQLite's 64 KiB spill
  /// threshold) opens no temporary file.
  @Test func aLargeWriteOpensNoTemporaryFile() async throws {
    try await withItemsPool { pool in
      let filler = String(repeating: "x", count: 3_000)
      try await pool.write { db in
        for index in 0..<100 {
          try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "\(index) \(filler)")
        }
      }
      // SQLite names its temporary files etilqs_* and unlinks them at once. Only files opened
      // during the UPDATE count: other tests of this process may hold their own.
      @Sendable func openTemporaryFiles() throws -> Set<String> {
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return Set(
          descriptors.compactMap { descriptor in
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + descriptor)
            return target.flatMap { $0.contains("etilqs_") ? $0 : nil }
          })
      }
      let openedByTheWrite = try await pool.write { db -> Set<String> in
        let before = try openTemporaryFiles()
        try db.execute(sql: "UPDATE items SET value = 1")
        return try openTemporaryFiles().subtracting(before)
      }
      #expect(openedByTheWrite == [])
      #expect(try await pool.read { db in try db.value(Int.self, sql: "SELECT sum(value) FROM items") } == 100)
    }
  }

  @Test func concurrentWritesShareCommitsAndGetTheirOwnResults() async throws {
    try await withItemsPool { pool in
      let count = 200
      let results = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
        for index in 0..<count {
          group.addTask {
            let id = try await pool.write { db in
              try db.execute(
                sql: "INSERT INTO items (name, value) VALUES (?, ?)", "item \(index)", index)
              return db.lastInsertRowID
            }
            return (index, id)
          }
        }
        return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
      }
      #expect(results.count == count)
      #expect(Set(results.values).count == count)
      // Each caller got the rowid of its own row.
      let stored = try await pool.read { db in
        try db.rows(sql: "SELECT id, value FROM items").map { (try $0.get(1) as Int, try $0.get(0) as Int64) }
      }
      #expect(Dictionary(uniqueKeysWithValues: stored) == results)
      let statistics = pool.statistics
      #expect(statistics.writes == count)
      #expect(statistics.failedWrites == 0)
      #expect(statistics.commits < statistics.writes)
      #expect(statistics.largestBatch > 1)
    }
  }

  @Test func batchSizeOneCommitsEveryWrite() async throws {
    var configuration = DatabasePool.Configuration()
    configuration.maxBatchSize = 1
    try await withItemsPool(configuration: configuration) { pool in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<40 {
          group.addTask {
            try await pool.write { db in
              try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "item \(index)")
            }
          }
        }
        try await group.waitForAll()
      }
      let statistics = pool.statistics
      #expect(statistics.writes == 40)
      #expect(statistics.commits == 40)
      #expect(statistics.largestBatch == 1)
      #expect(try await itemCount(pool) == 40)
    }
  }

  @Test func failingWritesInABatchUndoOnlyThemselves() async throws {
    try await withItemsPool { pool in
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('taken')") }
      let names = ["a", "b", "duplicate", "c", "throws", "d"]
      // Which batch each body ran in: the counters change only between batches.
      let batchOf = Recorder<[String: Int]>([:])
      let holding = Recorder(false)
      let outcomes = await withTaskGroup(of: (String, Result<Void, any Error>).self) { group in
        // Holds the writer until the writes below are queued, so that they form one batch.
        group.addTask {
          let result = await outcome {
            try await pool.write { _ in
              holding.state.withLock { $0 = true }
              blockUntil { pool.statistics.queuedWrites == names.count }
            }
          }
          return ("blocker", result)
        }
        for name in names {
          group.addTask {
            _ = try? await waitUntil { holding.state.withLock { $0 } }
            let result = await outcome {
              try await pool.write { db in
                batchOf.state.withLock { $0[name] = pool.statistics.commits }
                switch name {
                case "duplicate":
                  try db.execute(sql: "INSERT INTO items (name) VALUES ('dup-side-effect')")
                  try db.execute(sql: "INSERT INTO items (name) VALUES ('taken')")
                case "throws":
                  try db.execute(sql: "INSERT INTO items (name) VALUES ('throws-side-effect')")
                  throw TestError(tag: 7)
                default:
                  try db.execute(sql: "INSERT INTO items (name) VALUES (?)", name)
                }
              }
            }
            return (name, result)
          }
        }
        return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
      }

      let batches = batchOf.state.withLock { $0 }
      #expect(Set(batches.values).count == 1, "all six writes ran in one batch: \(batches)")
      #expect(pool.statistics.largestBatch >= 6)

      for name in ["blocker", "a", "b", "c", "d"] {
        #expect(throws: Never.self) { try outcomes[name]!.get() }
      }
      let duplicateError = #expect(throws: DatabaseError.self) { try outcomes["duplicate"]!.get() }
      #expect(duplicateError.map { DatabaseError.constraintUnique ~= $0 } == true)
      #expect(throws: TestError(tag: 7)) { try outcomes["throws"]!.get() }

      let stored = try await pool.read { db in
        Set(try db.rows(sql: "SELECT name FROM items").map { try $0.get("name") as String })
      }
      #expect(stored == ["taken", "a", "b", "c", "d"])
    }
  }

  @Test func aWriteThatMakesSQLiteRollBackTheBatchFailsOnlyTheWritesBeforeIt() async throws {
    try await withItemsPool { pool in
      // RAISE(ROLLBACK) ends the whole transaction, as SQLITE_FULL or an I/O error can.
      try await pool.write { db in
        try db.execute(
          sql: """
            CREATE TRIGGER poison BEFORE INSERT ON items WHEN NEW.name = 'poison'
            BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END
            """)
      }
      // Callers queue in three waves (before, poison, after) behind a write that holds the writer.
      let waves: [(names: [String], after: Int)] = [
        (["a", "b", "c", "d"], 0), (["poison"], 4), (["e", "f"], 5),
      ]
      let runOrder = Recorder<[String]>([])
      let holding = Recorder(false)
      let commitsBefore = pool.statistics.commits
      let outcomes = await withTaskGroup(of: (String, Result<Void, any Error>).self) { group in
        group.addTask {
          let result = await outcome {
            try await pool.write { _ in
              holding.state.withLock { $0 = true }
              blockUntil { pool.statistics.queuedWrites == 7 }
            }
          }
          return ("blocker", result)
        }
        for wave in waves {
          for name in wave.names {
            group.addTask {
              // Once the blocker runs, the queue holds exactly the earlier waves.
              _ = try? await waitUntil {
                holding.state.withLock { $0 } && pool.statistics.queuedWrites >= wave.after
              }
              let result = await outcome {
                try await pool.write { db in
                  runOrder.state.withLock { $0.append(name) }
                  try db.execute(sql: "INSERT INTO items (name) VALUES (?)", name)
                }
              }
              return (name, result)
            }
          }
        }
        return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
      }

      let order = runOrder.state.withLock { $0 }
      let poisonIndex = try #require(order.firstIndex(of: "poison"))
      let poisonError = #expect(throws: DatabaseError.self) { try outcomes["poison"]!.get() }
      #expect(poisonError?.message == "poisoned")
      #expect(poisonError.map { DatabaseError.constraint ~= $0 } == true)
      // Those before the poison lost their transaction; those after got a new one.
      for (index, name) in order.enumerated() where name != "poison" {
        if index < poisonIndex {
          let error = #expect(throws: DatabaseError.self, "\(name)") { try outcomes[name]!.get() }
          #expect(error?.message.contains("rolled back the batch transaction") == true)
        } else {
          #expect(throws: Never.self, "\(name)") { try outcomes[name]!.get() }
        }
      }
      let stored = try await pool.read { db in
        Set(try db.rows(sql: "SELECT name FROM items").map { try $0.get(0) as String })
      }
      #expect(stored == Set(order[(poisonIndex + 1)...]))
      // The blocker, and the writes after the poison (if any) in a second transaction.
      let expectedCommits = poisonIndex + 1 < order.count ? 2 : 1
      #expect(pool.statistics.commits - commitsBefore == expectedCommits, "run order \(order)")
      #expect(poisonIndex > 0 && poisonIndex + 1 < order.count, "writes before and after the poison: \(order)")
    }
  }

  @Test func bodiesCannotEndThePoolTransaction() async throws {
    try await withItemsPool { pool in
      for sql in ["COMMIT", "ROLLBACK", "BEGIN", "END", "RELEASE profilestore_write",
        "ROLLBACK TO profilestore_write"]
      {
        let error = await #expect(throws: DatabaseError.self, "\(sql)") {
          try await pool.write { db in
            try db.execute(sql: "INSERT INTO items (name) VALUES (?)", sql)
            try db.execute(sql: sql)
          }
        }
        #expect(error.map { DatabaseError.authorization ~= $0 } == true)
        #expect(error?.message.contains("not allowed") == true)
        await #expect(throws: DatabaseError.self) {
          try await pool.read { db in try db.execute(sql: sql) }
        }
      }
      let count = try await itemCount(pool)
      #expect(count == 0)
    }
  }

  @Test func savepointsNestInsideWrites() async throws {
    try await withItemsPool { pool in
      try await pool.write { db in
        try db.execute(sql: "INSERT INTO items (name) VALUES ('outer')")
        do {
          try db.savepoint {
            try db.execute(sql: "INSERT INTO items (name) VALUES ('inner')")
            try db.savepoint { try db.execute(sql: "INSERT INTO items (name) VALUES ('innermost')") }
            throw TestError()
          }
          Issue.record("the savepoint did not throw")
        } catch {
          #expect(error is TestError)
        }
        try db.savepoint { try db.execute(sql: "INSERT INTO items (name) VALUES ('kept')") }
      }
      let names = try await pool.read { db in
        try db.rows(sql: "SELECT name FROM items ORDER BY id").map { try $0.get(0) as String }
      }
      #expect(names == ["outer", "kept"])
    }
  }

  @Test func bodyThatReadsPartOfAResultAndThrowsLeavesNothingOpen() async throws {
    try await withItemsPool { pool in
      try await pool.write { db in
        for index in 0..<10 {
          try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "n\(index)")
        }
      }
      await #expect(throws: TestError.self) {
        try await pool.write { db in
          _ = try db.row(sql: "SELECT * FROM items")
          try db.execute(sql: "DELETE FROM items")
          throw TestError()
        }
      }
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('after')") }
      #expect(try await itemCount(pool) == 11)
    }
  }

  @Test func readersSeeCommittedDataAndCannotWrite() async throws {
    try await withItemsPool { pool in
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('x')") }
      #expect(try await itemCount(pool) == 1)
      let error = await #expect(throws: DatabaseError.self) {
        try await pool.read { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('y')") }
      }
      #expect(error.map { DatabaseError.readOnly ~= $0 } == true)
    }
  }

  @Test func aReadSeesOneSnapshotWhileWritesCommit() async throws {
    try await withItemsPool { pool in
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('x')") }
      // The read counts once, waits until the second write has committed, and counts again:
      // steps rather than sleeps, so a loaded machine cannot reorder them.
      let step = Mutex(0)
      async let snapshot = pool.read { db in
        let before = try db.value(Int.self, sql: "SELECT count(*) FROM items")
        step.withLock { $0 = 1 }
        let written = blockUntil { step.withLock { $0 == 2 } }
        let after = try db.value(Int.self, sql: "SELECT count(*) FROM items")
        return (before, after, written)
      }
      #expect(try await waitUntil { step.withLock { $0 == 1 } }, "the read never took its first count")
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('y')") }
      step.withLock { $0 = 2 }
      let (before, after, written) = try await snapshot
      #expect(written)
      #expect(before == 1)
      #expect(after == 1)
      #expect(try await itemCount(pool) == 2)
    }
  }

  @Test func concurrentReadsAndWritesStayConsistent() async throws {
    try await withItemsPool { pool in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<100 {
          group.addTask {
            // Rows come in pairs, so a consistent read always counts an even number.
            try await pool.write { db in
              try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "a\(index)")
              try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "b\(index)")
            }
          }
          group.addTask {
            let count = try await itemCount(pool)
            #expect(count % 2 == 0)
          }
        }
        try await group.waitForAll()
      }
      #expect(try await itemCount(pool) == 200)
    }
  }

  @Test func closeFinishesQueuedWritesThenRefusesCalls() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      let pool = try DatabasePool(path: path, migrations: itemsMigrations)
      let holding = Recorder(false)
      let release = Recorder(false)
      let writes = Task {
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            try await pool.write { _ in
              holding.state.withLock { $0 = true }
              // Hold the writer until close() has begun, however loaded the machine is: longer
              // than the wait below for the others to queue.
              blockUntil(timeout: .seconds(120)) { release.state.withLock { $0 } }
            }
          }
          for index in 0..<20 {
            group.addTask {
              _ = try await waitUntil { holding.state.withLock { $0 } }
              try await pool.write { db in
                try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "n\(index)")
              }
            }
          }
          try await group.waitForAll()
        }
      }
      // Close while the blocker holds the writer and the others are queued behind it.
      let queued = try await waitUntil { pool.statistics.queuedWrites == 20 }
      try #require(queued, "the 20 writes were not all queued behind the blocker")
      async let closing: Void = pool.close()
      try await Task.sleep(for: .milliseconds(20))
      release.state.withLock { $0 = true }
      await closing
      try await writes.value

      let writeError = await #expect(throws: DatabaseError.self) {
        try await pool.write { db in try db.execute(sql: "DELETE FROM items") }
      }
      #expect(writeError.map { DatabaseError.misuse ~= $0 } == true)
      #expect(writeError?.description.contains("is closed") == true)
      let readError = await #expect(throws: DatabaseError.self) {
        try await pool.read { _ in 1 }
      }
      #expect(readError.map { DatabaseError.misuse ~= $0 } == true)
      await pool.close()

      let reopened = try DatabasePool(path: path, migrations: itemsMigrations)
      #expect(try await itemCount(reopened) == 20)
      await reopened.close()
    }
  }

  @Test func committedDataSurvivesReopening() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      let pool = try DatabasePool(path: path, migrations: itemsMigrations)
      try await pool.write { db in
        try db.execute(sql: "INSERT INTO items (name, value) VALUES (?, ?)", "kept", 42)
      }
      await pool.close()

      let reopened = try DatabasePool(path: path, migrations: itemsMigrations)
      let value = try await reopened.read { db in
        try db.value(Int.self, sql: "SELECT value FROM items WHERE name = ?", "kept")
      }
      #expect(value == 42)
      await reopened.close()
    }
  }

  @Test func acknowledgedWritesAreInTheFilesBeforeAnyClose() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      let pool = try DatabasePool(path: path, migrations: itemsMigrations)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<50 {
          group.addTask {
            try await pool.write { db in
              try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "n\(index)")
            }
          }
        }
        try await group.waitForAll()
      }
      // What a kill -9 would leave: the files as they are, WAL not checkpointed, no close.
      let crashed = directory + "/crashed"
      try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: false)
      for suffix in ["", "-wal"] {
        try FileManager.default.copyItem(atPath: path + suffix, toPath: crashed + "/db.sqlite" + suffix)
      }
      let recovered = try DatabasePool(path: crashed + "/db.sqlite", migrations: itemsMigrations)
      #expect(try await itemCount(recovered) == 50)
      await recovered.close()
      await pool.close()
    }
  }

  @Test func anotherProcessHoldingTheLockMeansWaitingThenBusy() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      let holder = try DatabasePool(path: path, migrations: itemsMigrations)
      // Patient enough for however long a loaded machine takes to make the impatient writer give up.
      var patientConfiguration = DatabasePool.Configuration()
      patientConfiguration.busyTimeout = .seconds(60)
      let patient = try DatabasePool(path: path, configuration: patientConfiguration, migrations: itemsMigrations)
      var impatientConfiguration = DatabasePool.Configuration()
      impatientConfiguration.busyTimeout = .milliseconds(50)
      let impatient = try DatabasePool(
        path: path, configuration: impatientConfiguration, migrations: itemsMigrations)

      let holding = Recorder(false)
      let release = Recorder(false)
      async let held: Void = holder.write { db in
        try db.execute(sql: "INSERT INTO items (name) VALUES ('holder')")
        holding.state.withLock { $0 = true }
        // Hold the lock until the impatient writer has given up (however slow a loaded
        // machine makes it), but never longer than 60 s.
        let deadline = Date().addingTimeInterval(60)
        while !release.state.withLock({ $0 }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
      }
      // A loaded machine may take long to start the holder's write; the test needs it holding.
      try #require(try await waitUntil(timeout: .seconds(120)) { holding.state.withLock { $0 } })
      async let waited: Void = patient.write { db in
        try db.execute(sql: "INSERT INTO items (name) VALUES ('patient')")
      }
      let busyError = await #expect(throws: DatabaseError.self) {
        try await impatient.write { db in
          try db.execute(sql: "INSERT INTO items (name) VALUES ('impatient')")
        }
      }
      #expect(busyError.map { DatabaseError.busy ~= $0 } == true)
      release.state.withLock { $0 = true }
      try await held
      try await waited
      #expect(try await itemCount(impatient) == 2)
      // The failed batch left the impatient writer usable.
      try await impatient.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES ('later')") }
      #expect(impatient.statistics.failedWrites == 1)
      for pool in [holder, patient, impatient] {
        await pool.close()
      }
    }
  }

  @Test(arguments: ["readerCount", "maxBatchSize", "walAutocheckpointPages"])
  func invalidConfigurationIsRefused(setting: String) async throws {
    try await withTemporaryDirectory { directory in
      var configuration = DatabasePool.Configuration()
      switch setting {
      case "readerCount": configuration.readerCount = 0
      case "maxBatchSize": configuration.maxBatchSize = 0
      default: configuration.walAutocheckpointPages = 0
      }
      let error = #expect(throws: DatabaseError.self) {
        try DatabasePool(path: directory + "/db.sqlite", configuration: configuration, migrations: [])
      }
      #expect(error.map { DatabaseError.misuse ~= $0 } == true)
      #expect(error?.description.contains("\(setting) (0)") == true)
    }
  }

  @Test func aCheckpointThresholdBeyondTheRangeIsRefused() async throws {
    try await withTemporaryDirectory { directory in
      var configuration = DatabasePool.Configuration()
      configuration.walAutocheckpointPages = DatabasePool.Configuration.walAutocheckpointRange.upperBound + 1
      let error = #expect(throws: DatabaseError.self) {
        try DatabasePool(path: directory + "/db.sqlite", configuration: configuration, migrations: [])
      }
      #expect(error?.description.contains("must be between 1 and 16777216") == true)
    }
  }

  /// Bytes of one WAL frame at the default 4 KiB page: the page and its 24-byte header.
  static let walFrameBytes = 4_096 + 24

  /// The size of the WAL file of the database at `path`; read it before the pool closes, since
  /// the last connection to close checkpoints and deletes the WAL.
  static func walBytes(of path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
  }

  /// One commit per index of `range`, each inserting an item named after it.
  static func insertItems(_ range: Range<Int>, into pool: DatabasePool) async throws {
    for index in range {
      try await pool.write { db in try db.execute(sql: "INSERT INTO items (name) VALUES (?)", "item-\(index)") }
    }
  }

  /// A pool that checkpoints after `pages` WAL pages and commits every write alone.
  static func checkpointingPool(path: String, after pages: Int) throws -> DatabasePool {
    var configuration = DatabasePool.Configuration()
    configuration.walAutocheckpointPages = pages
    configuration.maxBatchSize = 1
    return try DatabasePool(path: path, configuration: configuration, migrations: itemsMigrations)
  }

  /// 300 commits of a row each (a table page and an index page of WAL apiece): past 16 pages
  /// the writer checkpoints and the next commit starts the WAL over, so the file stays about
  /// that small; with a threshold never reached it keeps every commit's pages.
  @Test func theWALStartsOverAfterTheConfiguredPages() async throws {
    func walBytes(checkpointingAfter pages: Int) async throws -> Int {
      try await withTemporaryDirectory { directory in
        let path = directory + "/db.sqlite"
        let pool = try Self.checkpointingPool(path: path, after: pages)
        try await Self.insertItems(0..<300, into: pool)
        let size = try Self.walBytes(of: path)
        await pool.close()
        return size
      }
    }
    #expect(try await walBytes(checkpointingAfter: 16) < 40 * Self.walFrameBytes)
    #expect(try await walBytes(checkpointingAfter: 100_000) > 300 * Self.walFrameBytes)
  }

  /// A read held open keeps the WAL from starting over, so 300 commits grow it far past its
  /// 16-page threshold; once the read ends, the next commits checkpoint, start the WAL over and
  /// cut the file back to twice the threshold.
  @Test func aWALThatGrewPastItsThresholdIsCutBack() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory + "/db.sqlite"
      let pool = try Self.checkpointingPool(path: path, after: 16)
      try await Self.insertItems(0..<1, into: pool)
      let step = Mutex(0)
      async let held = pool.read { db in
        _ = try db.value(Int.self, sql: "SELECT count(*) FROM items")
        step.withLock { $0 = 1 }
        return blockUntil { step.withLock { $0 == 2 } }
      }
      #expect(try await waitUntil { step.withLock { $0 == 1 } }, "the read never began")
      try await Self.insertItems(1..<301, into: pool)
      let grown = try Self.walBytes(of: path)
      step.withLock { $0 = 2 }
      #expect(try await held)
      try await Self.insertItems(301..<311, into: pool)
      let cut = try Self.walBytes(of: path)
      await pool.close()

      #expect(grown > 300 * Self.walFrameBytes)
      #expect(cut <= 2 * 16 * 4_096 + Self.walFrameBytes)
    }
  }

  @Test func unopenableFileIsAClearError() throws {
    let error = #expect(throws: DatabaseError.self) {
      try DatabasePool(path: "/nonexistent-directory/db.sqlite", migrations: [])
    }
    #expect(error.map { DatabaseError.cannotOpen ~= $0 } == true)
    #expect(error?.description.contains("/nonexistent-directory/db.sqlite") == true)
  }
}
