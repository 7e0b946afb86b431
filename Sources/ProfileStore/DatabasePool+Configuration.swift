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

    /// How long a connection waits for a lock held by another process before it fails with
    /// ``DatabaseError/busy``.
    public var busyTimeout = Duration.seconds(5)

    /// A prefix for the names of the pool's threads (`store writer`, `store reader 1`...), as
    /// seen in debuggers and `top -H`. Linux keeps only the first 15 bytes of a thread name.
    public var threadNamePrefix = "store"

    public init() {}
  }
}
