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
/// 4. `isWired` becomes true. While it is false, `main` measures only the raw baseline and the
///    report says so.
///
/// To add a scenario later (GetProfile, VerifyToken, durable UpdateProfile writes/s): add a
/// case to `Unary` with its label and unit, and a branch for it in `withUnaryCalls`.
/// `BenchRunner+Profiled` measures every case: latency p50/p99/mean, then throughput at the
/// largest concurrency on that many connections; `.pingPong` gets the full sweep and its rows
/// sit beside the raw baseline.
enum RPCScenarios {
  /// Whether the functions below are implemented.
  static let isWired = false

  /// The unary calls the benchmark measures, in report order.
  enum Unary: CaseIterable, Sendable {
    /// About 100-byte request and 300-byte response, like the raw ping-pong it is compared
    /// with (`RawProtocol`); pick an echo-style method, or GetProfile if its sizes match.
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

  /// Runs the profiled server on `socketPath` in this process until `SIGTERM` (the default
  /// action, ending the process, is fine) and should not return while serving.
  ///
  /// The path is new (it names the benchmark's pid); the benchmark polls it until it accepts
  /// connections (at most `ChildServer.startTimeoutSeconds`) and removes the file after stopping
  /// the server. Before this is called, `main` has set `SIGPIPE` to ignored and started
  /// `ParentWatch`, which ends the process if the benchmark dies. Standard output goes to the
  /// benchmark's standard error. Any state the server needs (a database for durable writes)
  /// belongs in a temporary directory made here.
  static func runServer(socketPath: String) async throws {
    throw BenchError.notWired("runServer(socketPath:)")
  }

  /// Opens `connections` client connections to the server on `socketPath`, calls `body` with
  /// one closure per connection (`calls.count == connections`), then closes them.
  ///
  /// Each closure makes one `unary` call and checks its response, throwing on any failure;
  /// closures are called concurrently, many at once on the same connection. Setup (connecting,
  /// any data the call needs, e.g. a stored profile to get) happens here, outside the timing.
  static func withUnaryCalls<Value>(
    _ unary: Unary, socketPath: String, connections: Int,
    _ body: (_ calls: [LoadDriver.Call]) async throws -> Value
  ) async throws -> Value {
    throw BenchError.notWired("withUnaryCalls(_:socketPath:connections:_:)")
  }

  /// Opens one client connection to the server on `socketPath`, calls `body` with a closure
  /// that makes one server-streaming call for the given number of small messages (payload of
  /// about 32 bytes, like `RawProtocol.streamMessagePayloadBytes`) and returns how many it
  /// received, then closes the connection.
  static func withServerStream<Value>(
    socketPath: String, _ body: (_ stream: @escaping LoadDriver.Stream) async throws -> Value
  ) async throws -> Value {
    throw BenchError.notWired("withServerStream(socketPath:_:)")
  }
}
