import Foundation
import Glibc
import ProfileAPI
import ProfileService
import RPC

/// The seam between the benchmark and the RPC runtime: the only file that knows its API.
///
/// Everything else in profile-bench drives plain closures (`LoadDriver.Call`,
/// `LoadDriver.Stream`) and child processes, so wiring the profiled side means filling this
/// file only:
///
/// 1. `runServer(socketPath:)` runs the profiled server in this process. The benchmark starts
///    it in a child process with the hidden flag `--serve-rpc SOCKET` (see `ChildServer`), so
///    its peak RSS is the server's alone.
/// 2. `withUnaryCalls(_:socketPath:connections:_:)` opens client connections and hands its body
///    one call closure per connection.
/// 3. `withServerStream(socketPath:_:)` opens one connection and hands its body a stream closure.
/// 4. `isWired` says the functions are implemented; while it is false, `main` measures only the
///    raw baseline and the report says so.
///
/// To add a scenario later (GetProfile, VerifyToken, durable UpdateProfile writes/s): add a
/// case to `Unary` with its label and unit, and a branch for it in `withUnaryCalls`.
/// `BenchRunner+Profiled` measures every case: latency p50/p99/mean, then throughput at the
/// largest concurrency on that many connections; `.pingPong` gets the full sweep and its rows
/// sit beside the raw baseline.
enum RPCScenarios {
  /// Whether the functions below are implemented.
  static let isWired = true

  /// The unary calls the benchmark measures, in report order.
  enum Unary: CaseIterable, Sendable {
    /// `Diagnostics.Echo` with about 100 bytes each way in and 300 out, like the raw
    /// ping-pong it is compared with (`RawProtocol`).
    case pingPong

    /// The call's name in the report's rows: "unary" for `.pingPong`, which the raw baseline
    /// rows share; e.g. "GetProfile" for others.
    var label: String {
      switch self {
      case .pingPong: "unary"
      }
    }

    /// What its throughput counts: "calls/s", or e.g. "writes/s" for durable UpdateProfile.
    var throughputUnit: String {
      switch self {
      case .pingPong: "calls/s"
      }
    }
  }

  /// The echo request: 90 payload bytes plus framing fields make about 100 bytes on the wire;
  /// the answer's 290-byte payload makes about 300.
  static let echoRequest = Diagnostics.EchoRequest(payload: Data(repeating: 0x61, count: 90), responseSize: 290)

  /// Runs profiled (every service, over a temporary data directory) on `socketPath` until
  /// SIGTERM, then removes the data directory and exits.
  static func runServer(socketPath: String) async throws {
    let directory = NSTemporaryDirectory() + "profile-bench-\(getpid())"
    let services = try ProfileServices(configuration: ServiceConfiguration(dataDirectory: directory))
    var configuration = ServerConfiguration(socketPath: socketPath)
    configuration.maxConcurrentCallsPerConnection = 4096
    let server = RPCServer(configuration: configuration, services: services.services)
    try server.start()
    for await _ in ShutdownSignals.stream() {
      await server.shutdown(gracePeriod: .seconds(1))
      await services.close()
      try? FileManager.default.removeItem(atPath: directory)
      exit(0)
    }
  }

  /// Opens `connections` client connections to the server on `socketPath`, calls `body` with
  /// one closure per connection (`calls.count == connections`), then closes them.
  ///
  /// Each closure makes one `unary` call and checks its response, throwing on any failure;
  /// closures are called concurrently, many at once on the same connection. `executor` is the
  /// clients' event loop: callers that run on it skip a thread hop per call, as the raw
  /// baseline's single epoll client thread does.
  static func withUnaryCalls<Value>(
    _ unary: Unary, socketPath: String, connections: Int,
    _ body: (_ calls: [LoadDriver.Call], _ executor: any TaskExecutor) async throws -> Value
  ) async throws -> Value {
    let clients = try (0..<connections).map { _ in try RPCClient(socketPath: socketPath) }
    defer { for client in clients { client.close() } }
    let request = echoRequest
    let expected = request.responseSize ?? 0
    let calls: [LoadDriver.Call] = clients.map { client in
      {
        let response = try await client.unary(Diagnostics.echo, request)
        guard response.payload.count == expected else {
          throw BenchError.protocolViolation("Echo answered \(response.payload.count) bytes, not \(expected)")
        }
      }
    }
    // Connect before timing starts.
    for call in calls { try await call() }
    return try await body(calls, clients[0].executor)
  }

  /// Opens one client connection to the server on `socketPath`, calls `body` with a closure
  /// that makes one server-streaming call for the given number of 32-byte messages
  /// (`Diagnostics.Generate`) and returns how many it received, then closes the connection.
  static func withServerStream<Value>(
    socketPath: String,
    _ body: (_ stream: @escaping LoadDriver.Stream, _ executor: any TaskExecutor) async throws -> Value
  ) async throws -> Value {
    let client = try RPCClient(socketPath: socketPath)
    defer { client.close() }
    let stream: LoadDriver.Stream = { count in
      var received = 0
      for try await _ in client.serverStreaming(
        Diagnostics.generate, Diagnostics.GenerateRequest(count: count, size: RawProtocol.streamMessagePayloadBytes))
      {
        received += 1
      }
      return received
    }
    return try await body(stream, client.executor)
  }
}
