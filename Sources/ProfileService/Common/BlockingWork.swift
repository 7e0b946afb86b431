internal import Dispatch
import RPC
import Synchronization

/// Runs CPU-heavy synchronous work (password hashing) on a few dedicated queues, never on an
/// event loop or the Swift concurrency pool, with at most `width` jobs at once and at most
/// `maxPending` admitted (running or waiting).
///
/// Callers decide how much work there is (every sign-in hashes, even for an unknown email), so
/// the backlog is bounded: past it a job is refused at once with `RESOURCE_EXHAUSTED` and a
/// retry-after, instead of queueing without end. A job whose task is cancelled before it
/// starts (its call was cancelled or passed its deadline) does not run.
public final class BlockingWork: Sendable {
  private let queues: [DispatchQueue]
  private let next = Atomic<Int>(0)
  private let pending = Atomic<Int>(0)
  /// The most jobs admitted at once, running or waiting.
  public let maxPending: Int

  public init(width: Int = 2, maxPending: Int = 128) {
    queues = (0..<max(1, width)).map { DispatchQueue(label: "profiled.blocking.\($0)", qos: .userInitiated) }
    self.maxPending = max(1, maxPending)
  }

  /// Jobs admitted and not yet finished.
  public var pendingCount: Int { pending.load(ordering: .relaxed) }

  /// Runs `body` on one of the queues and returns its result.
  ///
  /// - Throws: `RESOURCE_EXHAUSTED` when ``maxPending`` jobs are pending; `CancellationError`
  ///   when the task was cancelled before `body` started; what `body` throws.
  public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let (_, admitted) = pending.add(1, ordering: .relaxed)
    guard admitted <= maxPending else {
      pending.subtract(1, ordering: .relaxed)
      throw RPCError(
        .resourceExhausted, "the server has too many password checks waiting; try again in a moment",
        details: ErrorDetails(
          quotaViolations: [.init(subject: "password-hashing", description: "\(maxPending) pending")],
          retryAfterMilliseconds: 1000))
    }
    let (_, index) = next.wrappingAdd(1, ordering: .relaxed)
    let queue = queues[index % queues.count]
    let cancelled = CancellationFlag()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        queue.async { [self] in
          let result: Result<T, any Error> = cancelled.isSet ? .failure(CancellationError()) : Result { try body() }
          // Counted out before the caller resumes, so it sees its own job gone.
          pending.subtract(1, ordering: .relaxed)
          continuation.resume(with: result)
        }
      }
    } onCancel: {
      cancelled.set()
    }
  }
}

/// Set once a task is cancelled, read by work queued for it.
private final class CancellationFlag: Sendable {
  private let value = Atomic<Bool>(false)

  func set() { value.store(true, ordering: .relaxed) }

  var isSet: Bool { value.load(ordering: .relaxed) }
}
