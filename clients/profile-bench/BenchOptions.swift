import RPC

/// The settings of one benchmark run, after `--quick` and the explicit options are applied.
struct BenchOptions: Equatable, Sendable {
  /// Which sides `--only` keeps.
  enum Only: String, Equatable, Sendable {
    case raw
    case profiled
  }

  /// Defaults of a full run, and of `--quick`.
  static let defaultDurationSeconds = 3.0
  static let quickDurationSeconds = 0.5
  static let defaultLatencyCalls = 20_000
  static let quickLatencyCalls = 2_000
  static let defaultStreamMessages = 1_000_000
  static let quickStreamMessages = 100_000
  static let defaultConcurrencies = [1, 16, 64, 256]
  static let defaultRounds = 3
  static let quickRounds = 1
  /// Calls in flight of GetProfile and VerifyToken, whatever `--concurrency` says.
  static let sessionCallConcurrencies = [1, 16, 64]
  /// Concurrent callers of durable UpdateProfile writes, on both servers.
  static let durableWriteCallers = [1, 64]
  /// Time allowed for signing one user up and in (two scrypt hashes, a durable write), for
  /// the time budget.
  static let accountSetupSeconds = 1.0

  /// Bounds that keep a mistyped number from running for hours or exhausting descriptors.
  static let durationRange = 0.05...600.0
  static let latencyCallsRange = 1...10_000_000
  static let streamMessagesRange = 1...100_000_000
  static let concurrencyRange = 1...1_000
  static let roundsRange = 1...20
  static let clientBusyPollRange = 0...EventLoop.maxBusyPollMicroseconds

  /// The profiled server to measure instead of starting one (`--socket`).
  var socketPath: String?
  /// Seconds each throughput point is measured, after its warm-up.
  var durationSeconds = defaultDurationSeconds
  var latencyCalls = defaultLatencyCalls
  var streamMessages = defaultStreamMessages
  /// Calls in flight at each throughput point.
  var concurrencies = defaultConcurrencies
  /// Slices each compared throughput point is measured in, alternating between the two sides
  /// (`--rounds`): the raw baseline and profiled on the ping-pong rows, group commit and one
  /// fsync per write on the durable-write rows.
  var rounds = defaultRounds
  var only: Only?
  /// Only the ping-pong rows and the server stream (`--ping-pong-only`): the RPC path alone,
  /// without the calls that read or write the store.
  var pingPongOnly = false
  var isQuick = false
  var markdown = false
  /// How long the profiled side's client loop polls after work before sleeping, in
  /// microseconds (`--client-busy-poll`, `RPCClient.setBusyPoll`); 0 sleeps at once.
  var clientBusyPollMicroseconds = 0

  var runsRaw: Bool { only != .profiled }
  var runsProfiled: Bool { only != .raw }
  /// Whether the calls that use the store (accounts, durable writes, credits, the export) run.
  var measuresStore: Bool { runsProfiled && !pingPongOnly }

  /// Untimed warm-up before each throughput window: a fifth of the point's duration, at most one
  /// second. A point measured in rounds warms up before each of its slices.
  var warmupSeconds: Double { min(1, durationSeconds / 5) }
  /// Measured seconds of one slice of a compared point.
  var sliceSeconds: Double { durationSeconds / Double(rounds) }
  /// Untimed calls before the latency samples: a tenth, between 100 and 2,000.
  var latencyWarmupCalls: Int { min(2_000, max(100, latencyCalls / 10)) }
  /// Messages of the untimed warm-up stream.
  var streamWarmupMessages: Int { max(1, streamMessages / 10) }

  /// The sequential calls of each of `rounds` slices: `calls` split as evenly as it goes, the
  /// first slices taking the remainder; never a slice without calls (fewer slices instead).
  static func latencySlices(calls: Int, rounds: Int) -> [Int] {
    let slices = max(1, min(rounds, calls))
    return (0..<slices).map { calls / slices + ($0 < calls % slices ? 1 : 0) }
  }

  /// A bound on the whole run for the `Watchdog`, above the sum of every step's own limit
  /// (`LoadDriver`'s, plus start-up, account setup and the throughput points with their
  /// overrun grace), on both sides, so the watchdog only fires when a step ignores its own limit.
  var timeBudgetSeconds: Int {
    func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + 1 }
    // The ping-pong latency is taken in slices, each with its own warm-up and limit.
    let latencySlices = Self.latencySlices(calls: latencyCalls, rounds: rounds)
    let latency = latencySlices.reduce(0) { $0 + seconds(LoadDriver.latencyLimit(calls: latencyWarmupCalls + $1)) }
    let stream = seconds(LoadDriver.streamLimit(messages: streamWarmupMessages + streamMessages))
    let grace = seconds(LoadDriver.overrunGrace)
    let connectionSetup = 5.0
    let point = warmupSeconds + durationSeconds + grace + connectionSetup
    // A compared point pays a warm-up, a grace and a connection setup in each slice.
    let comparedPoint = Double(rounds) * (warmupSeconds + sliceSeconds + grace + connectionSetup)
    let server = ChildServer.startTimeoutSeconds + ChildServer.stopTimeoutSeconds
    let raw = latency + stream + Double(concurrencies.count) * comparedPoint + server
    var profiled = stream + server
    for plan in UnaryPlan.plans(for: self) {
      let accountSetup = plan.unary.signsInPerConnection ? Self.accountSetupSeconds : 0
      let servers = plan.comparesWithOneFsyncPerWrite ? 2.0 : 1.0
      let compared = plan.comparesWithOneFsyncPerWrite || (plan.unary == .pingPong && runsRaw)
      if plan.measuresLatency { profiled += latency + accountSetup }
      for planned in plan.points {
        let setups = (compared ? Double(rounds) : 1) * Double(planned.connections) * accountSetup
        profiled += servers * ((compared ? comparedPoint : point) + setups)
      }
      if plan.comparesWithOneFsyncPerWrite { profiled += server }
    }
    return Int((raw + profiled + 60).rounded(.up))
  }
}
