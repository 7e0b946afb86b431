internal import Dispatch
import Synchronization

/// Runs CPU-heavy synchronous work (password hashing) on a few dedicated queues, never on an
/// event loop or the Swift concurrency pool, with at most `width` jobs at once.
public final class BlockingWork: Sendable {
  private let queues: [DispatchQueue]
  private let next = Atomic<Int>(0)

  public init(width: Int = 2) {
    queues = (0..<max(1, width)).map { DispatchQueue(label: "profiled.blocking.\($0)", qos: .userInitiated) }
  }

  /// Runs `body` on one of the queues and returns its result.
  public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let (_, index) = next.wrappingAdd(1, ordering: .relaxed)
    let queue = queues[index % queues.count]
    return try await withCheckedThrowingContinuation { continuation in
      queue.async { continuation.resume(with: Result { try body() }) }
    }
  }
}
