internal import Glibc

/// Threads of the benchmark's own, outside Swift's cooperative pool.
///
/// The raw baseline blocks in `epoll_wait` and the watchdogs sleep for minutes; on the pool
/// either would hold one of only as many threads as there are cores.
enum DedicatedThread {
  /// Starts `body` on a new, detached thread.
  static func start(_ body: @escaping @Sendable () -> Void) throws {
    let start = Unmanaged.passRetained(Start(body))
    var thread = pthread_t()
    let created = pthread_create(
      &thread, nil,
      { argument in
        guard let argument else { return nil }
        Unmanaged<Start>.fromOpaque(argument).takeRetainedValue().body()
        return nil
      }, start.toOpaque())
    guard created == 0 else {
      start.release()
      throw BenchError.systemCall("pthread_create", code: created)
    }
    let detached = pthread_detach(thread)
    guard detached == 0 else { throw BenchError.systemCall("pthread_detach", code: detached) }
  }

  /// Runs `body` on a new thread and returns (or throws) what it does.
  static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws
    -> Value
  {
    try await withCheckedThrowingContinuation { continuation in
      do {
        try start { continuation.resume(with: Result { try body() }) }
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }

  /// The closure handed to the new thread through `pthread_create`'s `void *` argument.
  private final class Start: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
      self.body = body
    }
  }
}
