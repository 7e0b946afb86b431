/// What the benchmark measures of one `RPCScenarios.Unary` call: its rows, and the points
/// behind them.
///
/// The one place that decides each call's rows, so the report's planned rows, the
/// measurements and the watchdog's time budget agree.
struct UnaryPlan: Sendable {
  /// One throughput point: calls in flight, spread over connections.
  struct Point: Equatable, Sendable {
    let concurrency: Int
    let connections: Int
  }

  let unary: RPCScenarios.Unary
  /// Whether sequential latency (p50, p99, mean) is measured. Durable writes skip it: each
  /// waits for its own fsync, the one-caller point already gives their pace, and
  /// `--latency-calls` of them would take minutes.
  let measuresLatency: Bool
  /// Throughput points, in report order.
  let points: [Point]
  /// Whether the points are measured again against a server that commits every write alone
  /// (`RPCScenarios.Commit.oneFsyncPerWrite`); those figures fill the baseline column.
  let comparesWithOneFsyncPerWrite: Bool

  /// The plans of every call, in report order.
  static func plans(for options: BenchOptions) -> [UnaryPlan] {
    RPCScenarios.Unary.allCases
      .filter { !options.pingPongOnly || $0 == .pingPong }
      .map { plan(for: $0, options: options) }
  }

  static func plan(for unary: RPCScenarios.Unary, options: BenchOptions) -> UnaryPlan {
    switch unary {
    case .pingPong:
      // Every concurrency on one connection, then on one connection per call in flight, as
      // the raw baseline it sits beside.
      let shared = options.concurrencies.map { Point(concurrency: $0, connections: 1) }
      let spread = options.concurrencies.filter { $0 > 1 }.map {
        Point(concurrency: $0, connections: $0)
      }
      return UnaryPlan(
        unary: unary, measuresLatency: true, points: shared + spread,
        comparesWithOneFsyncPerWrite: false)
    case .getProfile, .verifyToken, .verifyAPIToken:
      // One connection, one user, one session (or API) token, however many calls are in flight.
      let points = BenchOptions.sessionCallConcurrencies.map {
        Point(concurrency: $0, connections: 1)
      }
      return UnaryPlan(
        unary: unary, measuresLatency: true, points: points, comparesWithOneFsyncPerWrite: false)
    case .updateProfile:
      // Each caller is a user of its own on a connection of its own.
      return UnaryPlan(
        unary: unary, measuresLatency: false,
        points: BenchOptions.durableWriteCallers.map { Point(concurrency: $0, connections: $0) },
        comparesWithOneFsyncPerWrite: true)
    case .consumeCredits:
      // 64 metering callers, each on a connection of its own charging its own organization.
      return UnaryPlan(
        unary: unary, measuresLatency: false, points: [Point(concurrency: 64, connections: 64)],
        comparesWithOneFsyncPerWrite: true)
    }
  }

  /// The latency rows, or none.
  var latencyMetrics: [Metric] {
    measuresLatency ? Metric.latencyRows(of: unary.label) : []
  }

  /// The row of a throughput point.
  func metric(for point: Point) -> Metric {
    if comparesWithOneFsyncPerWrite {
      return .durableWrites(
        of: unary.label, callers: point.concurrency, events: unary.throughputUnit)
    }
    return .throughput(
      of: unary.label, concurrency: point.concurrency, connections: point.connections,
      events: unary.throughputUnit)
  }

  /// Every row, in report order.
  var metrics: [Metric] {
    latencyMetrics + points.map(metric(for:))
  }
}
