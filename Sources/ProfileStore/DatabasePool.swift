internal import Foundation
internal import CLinux

/// The store's database: one writer with group commit and several readers, over one SQLite file.
///
/// Opening the pool opens the file in WAL mode with foreign keys on and a page cache of up to
/// 64 MiB for the writer, applies pending ``Migration``s in one transaction (with
/// `synchronous=FULL`), and starts one writer thread, ``Configuration/readerCount`` reader
/// threads, each with its own connection, and, in ``SyncMode/pipelined`` mode, a thread that
/// syncs the WAL. A write that ``write(_:)`` acknowledged is in a synced WAL: it survives
/// `kill -9` and power loss.
///
/// ```swift
/// let pool = try DatabasePool(path: dataDirectory + "/profiled.sqlite", migrations: migrations)
/// let id = try await pool.write { db in
///   try db.execute(sql: "INSERT INTO users (email) VALUES (?)", email)
///   return db.lastInsertRowID
/// }
/// let email = try await pool.read { db in
///   try db.value(String.self, sql: "SELECT email FROM users WHERE id = ?", id)
/// }
/// await pool.close()
/// ```
///
/// Closures run on the pool's threads, never on the Swift concurrency pool, and must not block
/// for long: while a write body runs, every other write waits.
public final class DatabasePool: Sendable {
  /// The database file.
  public let path: String

  public let configuration: Configuration

  /// The numbers of the migrations this pool applied when it opened; empty when the schema was
  /// already current.
  public let appliedMigrations: [Int]

  private let writeQueue = JobQueue<WriteRequest>()
  private let readQueue = JobQueue<ReadRequest>()
  private let writer: BatchWriter
  /// Syncs the WAL off the writer thread; nil with ``SyncMode/inCommit``.
  private let syncer: WALSyncer?
  private let stopped: CompletionLatch

  /// Opens (or creates) the database at `path`, migrates it, and starts the pool's threads.
  ///
  /// Blocks while it opens the file and migrates: call it at startup. Throws ``DatabaseError``
  /// when the file cannot be opened or put in WAL mode, and ``MigrationError`` when the
  /// database is newer than the last of `migrations` or a migration fails; the database is left
  /// unchanged then.
  public init(
    path: String, configuration: Configuration = Configuration(), migrations: [Migration]
  ) throws {
    guard configuration.readerCount >= 1, configuration.maxBatchSize >= 1 else {
      throw DatabaseError(
        resultCode: DatabaseError.misuse,
        message: "readerCount (\(configuration.readerCount)) and maxBatchSize "
          + "(\(configuration.maxBatchSize)) must be at least 1")
    }
    guard Configuration.walAutocheckpointRange.contains(configuration.walAutocheckpointPages) else {
      throw DatabaseError(
        resultCode: DatabaseError.misuse,
        message: "walAutocheckpointPages (\(configuration.walAutocheckpointPages)) must be between "
          + "\(Configuration.walAutocheckpointRange.lowerBound) and \(Configuration.walAutocheckpointRange.upperBound)")
    }
    let migrator = try Migrator(migrations)
    let writerConnection = try Database(
      path: path, mode: .readWrite, busyTimeout: configuration.busyTimeout)
    try Self.configureWriter(writerConnection, configuration: configuration)
    appliedMigrations = try migrator.migrate(writerConnection)
    let syncer: WALSyncer?
    switch configuration.syncMode {
    case .inCommit:
      syncer = nil
    case .pipelined:
      // The migrations committed with FULL; from here COMMIT leaves the sync to the syncer.
      syncer = try WALSyncer(
        databasePath: path, beforeSync: configuration.beforeSync, onFailure: configuration.onSyncFailure)
      try writerConnection.executeEngineStatement("PRAGMA synchronous = NORMAL")
    }
    // Readers open after the writer made the file WAL, which read-only connections cannot do.
    let readerConnections = try (0..<configuration.readerCount).map { _ in
      try Database(path: path, mode: .readOnly, busyTimeout: configuration.busyTimeout)
    }

    self.path = path
    self.configuration = configuration
    self.syncer = syncer
    writer = BatchWriter(
      connection: writerConnection, queue: writeQueue, maxBatchSize: configuration.maxBatchSize,
      syncer: syncer)
    stopped = CompletionLatch(count: 1 + readerConnections.count + (syncer == nil ? 0 : 1))

    let prefix = configuration.threadNamePrefix
    let (writer, stopped, readQueue) = (writer, stopped, readQueue)
    Self.startThread(named: "\(prefix) writer") {
      writer.run()
      stopped.arrive()
    }
    if let syncer {
      Self.startThread(named: "\(prefix) sync") {
        syncer.run()
        stopped.arrive()
      }
    }
    for (index, connection) in readerConnections.enumerated() {
      let reader = ReadWorker(connection: connection, queue: readQueue)
      Self.startThread(named: "\(prefix) reader \(index + 1)") {
        reader.run()
        stopped.arrive()
      }
    }
  }

  deinit {
    // The threads drain what is queued, close their connections and exit.
    writeQueue.close()
    readQueue.close()
  }

  /// Runs `body` in a write transaction shared with the writes queued alongside it, and returns
  /// its result once that transaction is committed and synced.
  ///
  /// `body` runs in its own savepoint: when it throws, only its changes are undone and the error
  /// comes back here, while the other writes of the batch commit. When the shared `COMMIT` fails
  /// every write of the batch fails with that error. Writes from one task run in call order;
  /// concurrent writes in some order.
  ///
  /// Cancellation is checked before the write is queued; once queued the write runs, since the
  /// caller could not otherwise know whether it happened. After ``close()`` this throws
  /// ``DatabaseError/misuse``.
  public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T)
    async throws -> T
  {
    try Task.checkCancellation()
    return try await withCheckedThrowingContinuation { continuation in
      if !writeQueue.enqueue(WriteRequest(body: body, continuation: continuation)) {
        continuation.resume(throwing: closedError)
      }
    }
  }

  /// Runs `body` on a reader connection, in a read transaction that sees one committed state of
  /// the database, and returns its result.
  ///
  /// Reads run concurrently with each other and with writes (WAL). A read sees every write whose
  /// ``write(_:)`` returned before the read began, and may see writes not yet acknowledged; with
  /// ``SyncMode/pipelined`` it returns only once those are synced too, so what it tells cannot
  /// be undone by a power loss. Attempts to write throw ``DatabaseError/readOnly``.
  /// Cancellation is checked before the read is queued. After ``close()`` this throws
  /// ``DatabaseError/misuse``.
  public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T)
    async throws -> T
  {
    try Task.checkCancellation()
    let syncer = syncer
    return try await withCheckedThrowingContinuation { continuation in
      let accepted = readQueue.enqueue { db in
        let result = Result { try db.inReadTransaction(body) }
        guard let syncer else { return continuation.resume(with: result) }
        syncer.afterSync { syncError in
          continuation.resume(with: syncError.map { .failure($0) } ?? result)
        }
      }
      if !accepted {
        continuation.resume(throwing: closedError)
      }
    }
  }

  /// Finishes the queued reads and writes, closes every connection and stops the threads.
  ///
  /// Returns when all of that is done. Calls made after `close()` began throw
  /// ``DatabaseError/misuse``. Closing again does nothing.
  public func close() async {
    writeQueue.close()
    readQueue.close()
    await stopped.wait()
  }

  /// The writer's counters so far, and the writes waiting for it.
  public var statistics: Statistics {
    var statistics = writer.statistics
    statistics.queuedWrites = writeQueue.count
    statistics.syncs = syncer?.syncs ?? 0
    return statistics
  }

  private var closedError: DatabaseError {
    DatabaseError(
      resultCode: DatabaseError.misuse, message: "the database pool for \(path) is closed")
  }

  private static func configureWriter(_ db: Database, configuration: Configuration) throws {
    let mode = try db.value(String.self, sql: "PRAGMA journal_mode = WAL")
    guard mode?.lowercased() == "wal" else {
      throw DatabaseError(
        resultCode: DatabaseError.cannotOpen,
        message: "cannot put \(db.path) in WAL mode (journal_mode is \(mode ?? "unknown"))")
    }
    // FULL: each commit syncs the WAL, so an acknowledged write survives power loss. In
    // pipelined mode NORMAL replaces it after the migrations, and WALSyncer does the syncing.
    try db.executeEngineStatement("PRAGMA synchronous = FULL")
    try db.executeEngineStatement("PRAGMA foreign_keys = ON")
    // Up to 64 MiB of pages: the audit index is written at a random leaf per user, and with
    // SQLite's default 2 MiB those leaves fell out of the cache under load; measured with
    // profile-bench's 64-caller UpdateProfile phase, the writer went from about 7,800 to
    // 8,400-9,600 writes a second.
    try db.executeEngineStatement("PRAGMA cache_size = -65536")
    // Each write's savepoint keeps the originals of the pages it changes in a sub-journal. With
    // the default temp_store that becomes a file in /var/tmp once it outgrows 64 KiB, and stays
    // one: a full or unwritable /var/tmp could then fail a write and the writes of its batch
    // before it (SQLite rolls the transaction back on an I/O error).
    // In memory it costs what the write changes; it also saved about a fifth of the writer's
    // pwrite calls in profile-bench's 64-caller UpdateProfile phase.
    try db.executeEngineStatement("PRAGMA temp_store = MEMORY")
    try db.executeEngineStatement("PRAGMA wal_autocheckpoint = \(configuration.walAutocheckpointPages)")
    // The WAL file keeps the largest size it reached, and a long read that holds its restart back
    // lets it grow past the checkpoint threshold; with a limit, the first commit after the next
    // restart cuts it back to twice the threshold.
    let pageSize = try db.value(Int.self, sql: "PRAGMA page_size") ?? 4_096
    try db.executeEngineStatement(
      "PRAGMA journal_size_limit = \(2 * configuration.walAutocheckpointPages * pageSize)")
  }

  private static func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
      _ = clinux_name_this_thread(name)
      body()
    }
    thread.start()
  }
}
