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
  static let defaultStreamMessages = 200_000
  static let quickStreamMessages = 20_000
  static let defaultConcurrencies = [1, 16, 64, 256]

  /// Bounds that keep a mistyped number from running for hours or exhausting descriptors.
  static let durationRange = 0.05...600.0
  static let latencyCallsRange = 1...10_000_000
  static let streamMessagesRange = 1...100_000_000
  static let concurrencyRange = 1...1_000

  /// The profiled server to measure instead of starting one (`--socket`).
  var socketPath: String?
  /// Seconds each throughput point is measured, after its warm-up.
  var durationSeconds = defaultDurationSeconds
  var latencyCalls = defaultLatencyCalls
  var streamMessages = defaultStreamMessages
  /// Calls in flight at each throughput point.
  var concurrencies = defaultConcurrencies
  var only: Only?
  var isQuick = false
  var markdown = false

  var runsRaw: Bool { only != .profiled }
  var runsProfiled: Bool { only != .raw }

  /// Untimed warm-up before each throughput window: a fifth of it, at most one second.
  var warmupSeconds: Double { min(1, durationSeconds / 5) }
  /// Untimed calls before the latency samples: a tenth, between 100 and 2,000.
  var latencyWarmupCalls: Int { min(2_000, max(100, latencyCalls / 10)) }
  /// Messages of the untimed warm-up stream.
  var streamWarmupMessages: Int { max(1, streamMessages / 10) }

  /// A generous bound on the whole run for the `Watchdog`: every step at a pessimistic
  /// 1 ms per call (real calls take tens of µs), each throughput point with its overrun grace,
  /// twice over for the two sides, plus server start-up.
  var timeBudgetSeconds: Int {
    let latency = Double(latencyWarmupCalls + latencyCalls) * 0.001
    let stream = Double(streamWarmupMessages + streamMessages) * 0.0002 + 10
    let grace = Double(LoadDriver.overrunGrace.components.seconds)
    let points = Double(concurrencies.count * 2) * (warmupSeconds + durationSeconds + grace + 2)
    let side = latency + stream + points + ChildServer.startTimeoutSeconds
      + ChildServer.stopTimeoutSeconds
    return Int((2 * side + 60).rounded(.up))
  }
}
