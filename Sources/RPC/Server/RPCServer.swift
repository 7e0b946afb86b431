internal import CLinux
internal import Glibc
import Synchronization

/// A server on a Unix socket: accepts connections on event-loop threads and runs the handlers of
/// the services it was given.
///
/// Lifetime: ``start()`` binds the socket (replacing a stale socket file, never a live one);
/// ``shutdown()`` stops accepting, removes the socket file, sends GOAWAY to every client, lets
/// calls in flight finish within ``ServerConfiguration/shutdownGracePeriod``, cancels the rest
/// and stops the loops. Prefer ``withRPCServer(configuration:services:interceptors:_:)``, which
/// scopes the lifetime.
public final class RPCServer: Sendable {
  private enum Phase {
    case idle
    case running(loops: [EventLoop], listener: Listener)
    case stopped
  }

  public let configuration: ServerConfiguration
  private let shared: ServerShared
  private let phase = Mutex(Phase.idle)

  /// - Parameters:
  ///   - services: what to serve; two services registering the same method is a programming
  ///     error and traps.
  ///   - interceptors: run in order before every handler. Before them, and before a handler task
  ///     is even started, a ``TrustedCallersInterceptor`` built from
  ///     ``ServerConfiguration/trustedUIDs`` refuses trusted-only methods to other peers.
  public init(
    configuration: ServerConfiguration, services: [any RPCService],
    interceptors: [any ServerInterceptor] = []
  ) {
    self.configuration = configuration
    var router = RPCRouter()
    for service in services { service.register(with: &router) }
    shared = ServerShared(
      configuration: configuration, routes: router.routes,
      trustedCallers: TrustedCallersInterceptor(trustedUIDs: configuration.trustedUIDs),
      interceptors: interceptors)
  }

  /// Binds the socket and starts accepting.
  ///
  /// - Throws: ``RPCError`` `FAILED_PRECONDITION` when another server listens on the path or the
  ///   path is not a socket; a system error when binding fails.
  public func start() throws {
    try phase.withLock { phase in
      guard case .idle = phase else {
        throw RPCError(.failedPrecondition, "the server was already started")
      }
      let fd = try UnixSocket.listen(
        path: configuration.socketPath, mode: configuration.socketMode)
      var loops: [EventLoop] = []
      do {
        for index in 0..<configuration.eventLoopCount {
          loops.append(try EventLoop(name: "rpc-server-\(index)", busyPoll: configuration.busyPoll))
        }
      } catch {
        for loop in loops { loop.shutdown() }
        Glibc.close(fd)
        unlink(configuration.socketPath)
        throw error
      }
      let listener = Listener(fd: fd, loops: loops, shared: shared)
      let first = loops[0]
      let failure = Mutex<(any Error)?>(nil)
      let registered = Mutex(false)
      first.execute {
        do {
          try first.register(fd: fd, events: EPOLLIN.rawValue, handler: listener)
        } catch {
          failure.withLock { $0 = error }
        }
        registered.withLock { $0 = true }
      }
      while !registered.withLock({ $0 }) { sched_yield() }
      if let error = failure.withLock({ $0 }) {
        for loop in loops { loop.shutdown() }
        Glibc.close(fd)
        unlink(configuration.socketPath)
        throw error
      }
      phase = .running(loops: loops, listener: listener)
    }
  }

  /// The socket path the server listens on.
  public var socketPath: String { configuration.socketPath }

  /// The zero-timeout polls its loops made because of ``ServerConfiguration/busyPoll``; 0 when
  /// the server is not running.
  package var busyPolls: Int { sumOverLoops(\.busyPolls) }

  /// Timers pending on the server's loops (deadlines, HELLO timeouts); 0 when the server is not
  /// running.
  package var pendingTimers: Int { sumOverLoops(\.pendingTimers) }

  private func sumOverLoops(_ count: KeyPath<EventLoop, Int>) -> Int {
    phase.withLock { phase in
      guard case .running(let loops, _) = phase else { return 0 }
      return loops.reduce(0) { $0 + $1[keyPath: count] }
    }
  }

  /// Connections open right now.
  public var connectionCount: Int { shared.openConnections.count }

  /// Drains and stops; see the type's discussion. Safe to call more than once.
  public func shutdown(gracePeriod: Duration? = nil) async {
    let running = phase.withLock { phase -> (loops: [EventLoop], listener: Listener)? in
      guard case .running(let loops, let listener) = phase else { return nil }
      phase = .stopped
      return (loops, listener)
    }
    guard let (loops, listener) = running else { return }
    let path = configuration.socketPath
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      loops[0].execute {
        listener.stop()
        unlink(path)
        continuation.resume()
      }
    }
    for connection in shared.openConnections {
      connection.channel.loop.execute { connection.beginDrain() }
    }
    let deadline = ContinuousClock.now + (gracePeriod ?? configuration.shutdownGracePeriod)
    while !shared.openConnections.isEmpty && ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(5))
    }
    for connection in shared.openConnections {
      connection.channel.loop.execute { connection.forceClose() }
    }
    let closeDeadline = ContinuousClock.now + .seconds(2)
    while !shared.openConnections.isEmpty && ContinuousClock.now < closeDeadline {
      try? await Task.sleep(for: .milliseconds(5))
    }
    for loop in loops { loop.shutdown() }
  }
}

/// Runs `body` with a started server and shuts it down afterwards, also when `body` throws.
public func withRPCServer<Result: Sendable>(
  configuration: ServerConfiguration, services: [any RPCService],
  interceptors: [any ServerInterceptor] = [],
  _ body: (RPCServer) async throws -> Result
) async throws -> Result {
  let server = RPCServer(
    configuration: configuration, services: services, interceptors: interceptors)
  try server.start()
  do {
    let result = try await body(server)
    await server.shutdown()
    return result
  } catch {
    await server.shutdown()
    throw error
  }
}
