extension DatabasePool {
  /// Counters of the writer since the pool opened, to observe group commit, and the queue depth.
  ///
  /// With group commit, ``commits`` grows more slowly than ``writes``; with a
  /// ``Configuration/maxBatchSize`` of 1 they grow together.
  public struct Statistics: Hashable, Sendable {
    /// Write transactions committed. With ``SyncMode/inCommit`` each one is one fsync of the
    /// WAL; with ``SyncMode/pipelined`` one sync can cover several (see ``syncs``).
    public var commits = 0

    /// `fdatasync` calls of the syncing thread (``SyncMode/pipelined`` only; 0 otherwise).
    public var syncs = 0

    /// Write bodies run, whether they succeeded or threw.
    public var writes = 0

    /// Writes that failed: the body threw, or its transaction did not commit.
    public var failedWrites = 0

    /// The largest number of writes taken as one batch.
    public var largestBatch = 0

    /// Writes queued and not yet taken by the writer when the statistics were read: a gauge of
    /// backlog, where the other fields are counters.
    public var queuedWrites = 0

    public init() {}
  }
}
