extension DatabasePool {
  /// How a ``DatabasePool`` opens and runs its connections.
  public struct Configuration: Sendable {
    /// Read-only connections, each on its own thread: how many reads run at once. At least 1.
    public var readerCount = 2

    /// The most writes that share one transaction and one fsync. At least 1.
    ///
    /// The writer takes every queued write up to this limit, so batches form by themselves
    /// under load and cost nothing when idle. 1 gives one transaction per write: the baseline
    /// for measuring group commit.
    public var maxBatchSize = 256

    /// WAL pages after which a commit also checkpoints (SQLite's `wal_autocheckpoint`): copies
    /// the WAL's pages into the database file, syncs it, and lets the next write start the WAL
    /// over. Between 1 and 16,777,216 (``walAutocheckpointRange``). The WAL file is cut back to
    /// twice this many pages after it grew past them (SQLite's `journal_size_limit`).
    ///
    /// The writer runs the checkpoint inside that commit, so every other write waits for it.
    /// SQLite's default of 1,000 pages (4 MiB) checkpointed about 30 times a second under
    /// profile-bench's 64 durable-write callers, rewriting the same hot pages each time; 8,000
    /// pages gave about 10% more writes a second, for a WAL file of about 32 MiB (larger while a
    /// long read holds the WAL's restart back: SQLite does not shrink it) and a longer replay
    /// after a crash.
    public var walAutocheckpointPages = 8_000

    /// The values ``walAutocheckpointPages`` may take.
    public static let walAutocheckpointRange = 1...(1 << 24)

    /// Where the WAL is synced: inside each `COMMIT`, or on a thread of its own while the
    /// writer goes on. Both acknowledge a write only once it is on disk.
    public var syncMode = SyncMode.pipelined

    /// Called on the syncing thread before each `fdatasync` in ``SyncMode/pipelined`` mode; lets
    /// tests hold syncs back and watch what waits for them. When it throws, that sync fails as
    /// if `fdatasync` had (no disk fails on demand).
    package var beforeSync: (@Sendable () throws -> Void)?

    /// Called once, on the syncing thread, when an `fdatasync` of the WAL fails in
    /// ``SyncMode/pipelined`` mode. From then on every write and read of the pool fails with that
    /// error (the writes it committed meanwhile may or may not survive), until the process
    /// restarts and SQLite recovers the WAL; a server should stop taking work and say so.
    public var onSyncFailure: (@Sendable (DatabaseError) -> Void)?

    /// How long a connection waits for a lock held by another process before it fails with
    /// ``DatabaseError/busy``.
    public var busyTimeout = Duration.seconds(5)

    /// A prefix for the names of the pool's threads (`store writer`, `store reader 1`...), as
    /// seen in debuggers and `top -H`. Linux keeps only the first 15 bytes of a thread name.
    public var threadNamePrefix = "store"

    public init() {}
  }

  /// How the writer makes its commits durable.
  public enum SyncMode: Sendable, Hashable {
    /// `synchronous=FULL`: SQLite syncs the WAL inside every `COMMIT`, and the writer waits for
    /// it before the next transaction. With a ``Configuration/maxBatchSize`` of 1 this is one
    /// fsync per write: the baseline for measuring group commit.
    case inCommit

    /// `synchronous=NORMAL` plus a syncing thread: `COMMIT` writes the WAL frames, the writer
    /// starts the next transaction at once, and the syncing thread's `fdatasync` of the WAL file
    /// (one for every commit that ended before it began) releases the callers. Reads hold their
    /// answer until every commit they could have seen is synced.
    case pipelined
  }
}
