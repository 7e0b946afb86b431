import RPC
import Synchronization

/// Collects the server's call records, to check how calls ended on the server side.
final class ObservedCalls: Sendable {
  private let records = Mutex<[CallRecord]>([])

  var record: @Sendable (CallRecord) -> Void {
    { [self] record in self.records.withLock { $0.append(record) } }
  }

  func codes(for method: String) -> [StatusCode] {
    records.withLock { $0.filter { $0.method == method }.map(\.code) }
  }

  var all: [CallRecord] { records.withLock { $0 } }
}

/// Polls `condition` every 10 ms for up to `timeout`; throws if it never holds. The default is
/// long because a condition that holds returns at once, while a loaded parallel run on two
/// cores can stall a test's tasks for seconds.
func waitUntil(
  timeout: Duration = .seconds(60), _ condition: () -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while !condition() {
    if ContinuousClock.now > deadline {
      throw RPCError(.deadlineExceeded, "condition did not hold within \(timeout)")
    }
    try await Task.sleep(for: .milliseconds(10))
  }
}

/// Counts the calls that reached the interceptors: calls the server has taken in and is running.
final class StartedCalls: ServerInterceptor {
  private let started = Atomic<Int>(0)

  var count: Int { started.load(ordering: .relaxed) }

  func intercept(context: ServerContext, method: MethodInfo) async throws {
    started.add(1, ordering: .relaxed)
  }
}

/// Refuses calls without `authorization: Bearer sesame` metadata, with `UNAUTHENTICATED`, and
/// records the method of every call it saw.
final class RequireToken: ServerInterceptor {
  let seen = Mutex<[String]>([])

  func intercept(context: ServerContext, method: MethodInfo) async throws {
    seen.withLock { $0.append(method.fullName) }
    guard context.metadata.bearerToken == "sesame" else {
      throw RPCError(.unauthenticated, "missing or unknown bearer token")
    }
  }
}
