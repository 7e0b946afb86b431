public import ProfileAPI
public import RPC
import Synchronization

/// Serves `Health`: the serving status of the server (the empty name) and of each service.
///
/// Statuses change through ``setStatus(_:for:)``; `Watch` streams see every change. The server
/// wiring marks everything `notServing` before a shutdown drains, so load balancers and
/// supervisors stop sending work first.
public final class HealthService: RPCService {
  private struct State {
    var statuses: [String: Health.ServingStatus] = [:]
    var watchers: [UInt64: (service: String, continuation: AsyncStream<Health.ServingStatus>.Continuation)] = [:]
    var nextWatcher: UInt64 = 0
    /// Set by ``drain()``: watches report the status and end instead of waiting for changes.
    var draining = false
  }

  private let state = Mutex(State())

  /// - Parameter services: the service names to report on, all initially `serving`; the empty
  ///   name (the server as a whole) is always known.
  public init(services: [String]) {
    state.withLock { state in
      state.statuses[""] = .serving
      for name in services { state.statuses[name] = .serving }
    }
  }

  /// Sets the status of `service`, or of the server and every service when `service` is nil.
  public func setStatus(_ status: Health.ServingStatus, for service: String? = nil) {
    let notify = state.withLock { state -> [AsyncStream<Health.ServingStatus>.Continuation] in
      let names = service.map { [$0] } ?? Array(state.statuses.keys)
      for name in names { state.statuses[name] = status }
      return state.watchers.values.filter { names.contains($0.service) }.map(\.continuation)
    }
    for continuation in notify { continuation.yield(status) }
  }

  /// Marks everything `notServing` and ends every `Watch` stream (with OK, after it reports the
  /// new status), so watchers learn of a shutdown at once instead of when the grace period ends.
  public func drain() {
    setStatus(.notServing)
    let watchers = state.withLock { state -> [AsyncStream<Health.ServingStatus>.Continuation] in
      state.draining = true
      return state.watchers.values.map(\.continuation)
    }
    for continuation in watchers { continuation.finish() }
  }

  public func status(of service: String) -> Health.ServingStatus? {
    state.withLock { $0.statuses[service] }
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Health.check, immediately: { [self] request, _ in
      let name = request.service ?? ""
      guard let status = status(of: name) else {
        throw RPCError(.notFound, "unknown service '\(name)'")
      }
      return Health.CheckResponse(status: status)
    })
    router.serverStreaming(Health.watch) { [self] request, writer, _ in
      let name = request.service ?? ""
      let (stream, continuation) = AsyncStream<Health.ServingStatus>.makeStream(bufferingPolicy: .bufferingNewest(8))
      let id = try state.withLock { state -> UInt64 in
        guard let current = state.statuses[name] else {
          throw RPCError(.notFound, "unknown service '\(name)'")
        }
        continuation.yield(current)
        if state.draining { continuation.finish() }
        state.nextWatcher += 1
        state.watchers[state.nextWatcher] = (name, continuation)
        return state.nextWatcher
      }
      defer { _ = state.withLock { $0.watchers.removeValue(forKey: id) } }
      try await withTaskCancellationHandler {
        for await status in stream {
          try await writer.write(Health.CheckResponse(status: status))
        }
      } onCancel: {
        continuation.finish()
      }
    }
  }
}
