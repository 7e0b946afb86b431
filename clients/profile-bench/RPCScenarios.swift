import CryptoPrimitives
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
/// 1. `runServer(socketPath:commit:)` runs the profiled server in this process. The benchmark
///    starts it in a child process with the hidden flag `--serve-rpc SOCKET` (group commit) or
///    `--serve-rpc-unbatched SOCKET` (one fsync per write; see `ChildServer`), so its peak RSS
///    is the server's alone.
/// 2. `withUnaryCalls(_:socketPath:connections:_:)` opens client connections, signs a user up
///    and in on each when the call needs a session, and hands its body one call closure per
///    connection.
/// 3. `withServerStream(socketPath:_:)` opens one connection and hands its body a stream closure.
/// 4. `isWired` says the functions are implemented; while it is false, `main` measures only the
///    raw baseline and the report says so.
///
/// To add a scenario: add a case to `Unary` with its label and unit, a branch for it in
/// `makeCall`, and its rows in `UnaryPlan` (latency or not, which throughput points, whether
/// the one-fsync-per-write server is measured too).
enum RPCScenarios {
  /// Whether the functions below are implemented.
  static let isWired = true

  /// The unary calls the benchmark measures, in report order.
  enum Unary: CaseIterable, Sendable {
    /// `Diagnostics.Echo` with about 100 bytes each way in and 300 out, like the raw
    /// ping-pong it is compared with (`RawProtocol`).
    case pingPong
    /// `Profile.GetProfile` with the connection's session token: a token check and a read.
    case getProfile
    /// `Accounts.VerifyToken` of the connection's session token, as a trusted caller (the
    /// benchmark runs as the server's uid).
    case verifyToken
    /// `Accounts.VerifyToken` of a personal API token (`pat_...`) the connection's user
    /// created: the same figures should hold for API tokens as for sessions.
    case verifyAPIToken
    /// `Profile.UpdateProfile` of the connection's user with a new first name on every call:
    /// one durable transaction, with its audit row, per call.
    case updateProfile
    /// `Credits.ConsumeCredits` of 1 credit, as a trusted metering service (the benchmark runs
    /// as the server's uid), each connection charging a credit-based organization of its own:
    /// a balance check, a transaction, the balance and an audit row in one durable write.
    case consumeCredits

    /// The call's name in the report's rows: "unary" for `.pingPong`, which the raw baseline
    /// rows share; the RPC's name for the others.
    var label: String {
      switch self {
      case .pingPong: "unary"
      case .getProfile: "GetProfile"
      case .verifyToken: "VerifyToken"
      case .verifyAPIToken: "VerifyToken (API token)"
      case .updateProfile: "UpdateProfile"
      case .consumeCredits: "ConsumeCredits"
      }
    }

    /// What its throughput counts: "calls/s", or "writes/s" for durable UpdateProfile.
    var throughputUnit: String {
      switch self {
      case .pingPong, .getProfile, .verifyToken, .verifyAPIToken: "calls/s"
      case .updateProfile, .consumeCredits: "writes/s"
      }
    }

    /// Whether each connection first signs a new user up and in (outside any timing), which
    /// costs two password hashes and a durable write per connection.
    var signsInPerConnection: Bool {
      switch self {
      case .pingPong: false
      case .getProfile, .verifyToken, .verifyAPIToken, .updateProfile, .consumeCredits: true
      }
    }
  }

  /// How the server commits durable writes.
  enum Commit: Equatable, Sendable, CustomStringConvertible {
    /// Group commit, profiled's default: writes queued together share one transaction, and
    /// the syncing thread's fsync covers every commit made while the previous one ran.
    case grouped
    /// One transaction and one fsync per write (`maxWritesPerCommit = 1`, synced inside the
    /// COMMIT): the baseline that shows what group commit buys.
    case oneFsyncPerWrite

    var maxWritesPerCommit: Int? {
      switch self {
      case .grouped: nil
      case .oneFsyncPerWrite: 1
      }
    }

    /// For the report's header.
    var description: String {
      let writes = maxWritesPerCommit ?? ServiceConfiguration(dataDirectory: "").maxWritesPerCommit
      switch self {
      case .grouped:
        return "up to \(writes) writes per transaction (maxWritesPerCommit = \(writes)), "
          + "synchronous=NORMAL and a syncing thread whose fdatasync of the WAL covers every "
          + "commit made while the previous one ran; callers answered after it"
      case .oneFsyncPerWrite:
        return "1 write per transaction and fsync (maxWritesPerCommit = 1, synchronous=FULL)"
      }
    }
  }

  /// scrypt cost of the benchmark's servers: N = 2^12 instead of the production 2^15, so
  /// signing up a user per connection takes milliseconds. No measured call hashes a password.
  static let passwordHashing = PasswordHasher.Parameters(logN: 12, r: 8, p: 1)

  /// The password of every benchmark user.
  private static let password = "bench-password-1"

  /// The echo request: 90 payload bytes plus framing fields make about 100 bytes on the wire;
  /// the answer's 290-byte payload makes about 300.
  static let echoRequest = Diagnostics.EchoRequest(payload: Data(repeating: 0x61, count: 90), responseSize: 290)

  /// Where the servers' data directories go: `NSTemporaryDirectory()`, so both benchmark
  /// servers write to the same filesystem.
  static var dataDirectoryParent: String { NSTemporaryDirectory() }

  /// The data directory of the server in process `pid`.
  static func dataDirectory(pid: pid_t) -> String {
    dataDirectoryParent + (dataDirectoryParent.hasSuffix("/") ? "" : "/") + "profile-bench-\(pid)"
  }

  /// Makes the loop of every `RPCClient` in this process poll for `microseconds` after work
  /// before it sleeps (`--client-busy-poll`).
  static func setClientBusyPoll(microseconds: Int) throws {
    try RPCClient.setBusyPoll(.microseconds(microseconds))
  }

  /// Runs profiled (every service, over a temporary data directory, with `passwordHashing`)
  /// on `socketPath` until SIGTERM, then removes the data directory and exits.
  static func runServer(socketPath: String, commit: Commit) async throws {
    let directory = dataDirectory(pid: getpid())
    var serviceConfiguration = ServiceConfiguration(dataDirectory: directory)
    serviceConfiguration.passwordHashing = passwordHashing
    if let maxWrites = commit.maxWritesPerCommit {
      serviceConfiguration.maxWritesPerCommit = maxWrites
      serviceConfiguration.pipelinesSyncs = false
    }
    let services = try ProfileServices(configuration: serviceConfiguration)
    var configuration = ServerConfiguration(socketPath: socketPath)
    configuration.maxConcurrentCallsPerConnection = 4096
    let stop = ShutdownSignals.stream()
    let server = RPCServer(configuration: configuration, services: services.services)
    try server.start()
    for await _ in stop {
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
  /// closures are called concurrently, many at once on the same connection. When
  /// `unary.signsInPerConnection`, each connection first signs up a user of its own and signs
  /// in (one session token), and its calls act as that user. Setup and one untimed call per
  /// connection happen before `body` runs. `executor` is the clients' event loop: callers that
  /// run on it skip a thread hop per call, as the raw baseline's single epoll client thread does.
  static func withUnaryCalls<Value>(
    _ unary: Unary, socketPath: String, connections: Int,
    _ body: (_ calls: [LoadDriver.Call], _ executor: any TaskExecutor) async throws -> Value
  ) async throws -> Value {
    let clients = try (0..<connections).map { _ in try RPCClient(socketPath: socketPath) }
    defer { for client in clients { client.close() } }
    var calls: [LoadDriver.Call] = []
    calls.reserveCapacity(connections)
    for client in clients {
      calls.append(try await makeCall(unary, on: client))
    }
    for call in calls { try await call() }
    return try await body(calls, clients[0].executor)
  }

  /// A user signed up and signed in on one connection.
  struct Account: Sendable {
    let userID: String
    let token: String

    /// Call options that present the session token.
    var bearer: CallOptions {
      CallOptions(metadata: [Metadata.authorization: "Bearer \(token)"])
    }
  }

  /// The closure that makes one `unary` call on `client` and checks its answer, after the
  /// call's setup (a user of its own, when it needs a session).
  private static func makeCall(_ unary: Unary, on client: RPCClient) async throws
    -> LoadDriver.Call
  {
    switch unary {
    case .pingPong:
      let request = echoRequest
      let expected = request.responseSize ?? 0
      return {
        let response = try await client.unary(Diagnostics.echo, request)
        guard response.payload.count == expected else {
          throw BenchError.protocolViolation(
            "Echo answered \(response.payload.count) bytes, not \(expected)")
        }
      }

    case .getProfile:
      let account = try await signUpAndSignIn(on: client)
      let options = account.bearer
      return {
        let profile = try await client.unary(Profile.getProfile, Empty(), options: options)
        guard profile.id == account.userID else {
          throw BenchError.protocolViolation(
            "GetProfile answered the profile of \(profile.id), not of \(account.userID)")
        }
      }

    case .verifyToken:
      let account = try await signUpAndSignIn(on: client)
      let request = Accounts.VerifyTokenRequest(token: account.token)
      return {
        let answer = try await client.unary(Accounts.verifyToken, request)
        guard answer.userId == account.userID, answer.kind == .session else {
          throw BenchError.protocolViolation(
            "VerifyToken answered user \(answer.userId), kind \(answer.kind), not user "
              + "\(account.userID)'s session")
        }
      }

    case .verifyAPIToken:
      let account = try await signUpAndSignIn(on: client)
      let issued = try await client.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "bench"), options: account.bearer)
      let request = Accounts.VerifyTokenRequest(token: issued.token)
      return {
        let answer = try await client.unary(Accounts.verifyToken, request)
        guard answer.userId == account.userID, answer.kind == .apiToken else {
          throw BenchError.protocolViolation(
            "VerifyToken answered user \(answer.userId), kind \(answer.kind), not user "
              + "\(account.userID)'s API token")
        }
      }

    case .updateProfile:
      let account = try await signUpAndSignIn(on: client)
      let options = account.bearer
      let counter = CallCounter()
      return {
        // A name no earlier call sent: an unchanged profile would be answered without a write.
        let firstName = "Bench \(counter.next())"
        let request = Profile.UpdateProfileRequest(firstName: firstName)
        let profile = try await client.unary(Profile.updateProfile, request, options: options)
        guard profile.id == account.userID, profile.firstName == firstName else {
          throw BenchError.protocolViolation(
            "UpdateProfile answered \(profile.id) named '\(profile.firstName)', not "
              + "\(account.userID) named '\(firstName)'")
        }
      }

    case .consumeCredits:
      let account = try await signUpAndSignIn(on: client)
      let organizationID = try await creditOrganization(for: account, on: client, credits: 1_000_000_000)
      let request = Credits.ConsumeCreditsRequest(organizationId: organizationID, amount: 1, reason: "bench")
      return {
        let change = try await client.unary(Credits.consumeCredits, request)
        guard change.transaction.amount == -1, change.balance >= 0 else {
          throw BenchError.protocolViolation(
            "ConsumeCredits answered \(change.transaction.amount) credits and a balance of \(change.balance)")
        }
      }
    }
  }

  /// Signs up a new user with a unique email on `client`, then signs in as them.
  static func signUpAndSignIn(on client: RPCClient) async throws -> Account {
    let email = "bench-\(UUID().uuidString.lowercased())@example.com"
    let user = try await client.unary(
      Accounts.signUp,
      Accounts.SignUpRequest(
        email: email, password: password, firstName: "Bench", lastName: "User"))
    let session = try await client.unary(
      Accounts.signIn, Accounts.SignInRequest(email: email, password: password))
    guard session.userId == user.userId, let token = session.token else {
      throw BenchError.protocolViolation(
        "SignIn as \(email) (user \(user.userId)) answered user \(session.userId) "
          + (session.token == nil ? "without a session token" : "with a token"))
    }
    return Account(userID: user.userId, token: token)
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
