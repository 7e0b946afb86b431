/// The profiled side, through `RPCScenarios` and `UnaryPlan`: the only part of the benchmark
/// that changes as scenarios are added.
extension BenchRunner {
  /// Marks the baseline cells measured on the server that commits every write alone.
  static let oneFsyncPerWriteFootnote = (
    marker: "‡",
    text: "on the durable-write rows the baseline is profiled itself with group commit off (a "
      + "second child server, --serve-rpc-unbatched: one transaction and one fsync per write), "
      + "measured in this run on the same filesystem; the ratio is group commit / one fsync per "
      + "write, higher is better.")

  /// How many times faster than one fsync per write group commit must make the most callers.
  static let groupCommitTargetSpeedup = 10.0

  /// The server stream of small messages, then the ListTransactions stream.
  func measureProfiledStreams(socketPath: String, into report: inout Report) async {
    let options = options
    Console.progress("profiled: server stream, \(options.streamMessages) messages")
    do {
      let result = try await RPCScenarios.withServerStream(socketPath: socketPath) { stream, executor in
        await LoadDriver.stream(
          messages: options.streamMessages, warmupMessages: options.streamWarmupMessages,
          stream: stream, executor: executor)
      }
      record(result, as: [.serverStream], side: .profiled, into: &report)
    } catch {
      report.recordFailure(
        of: [.serverStream], side: .profiled, what: "server stream", error: error)
    }
    if options.measuresStore { await measureTransactionStream(socketPath: socketPath, into: &report) }
  }

  /// One highlight per durable-write call: both servers' figures at the most callers, their
  /// ratio, and whether it reaches `groupCommitTargetSpeedup`. A miss is stated, not counted
  /// as a failure: the exit status says whether the measurements worked.
  func summarizeDurableWrites(into report: inout Report) {
    for plan in UnaryPlan.plans(for: options) where plan.comparesWithOneFsyncPerWrite {
      guard let point = plan.points.max(by: { $0.concurrency < $1.concurrency }) else { continue }
      let metric = plan.metric(for: point)
      let what =
        "\(plan.unary.label) durable \(plan.unary.throughputUnit), \(point.concurrency) callers"
      guard let grouped = report.figure(for: metric, side: .profiled),
        let alone = report.figure(for: metric, side: .oneFsyncPerWrite),
        let ratio = report.ratio(for: metric)
      else {
        report.addHighlight("\(what): not measured on both servers (see the notes)")
        continue
      }
      let target = NumberFormat.fixed(Self.groupCommitTargetSpeedup, decimals: 0) + "x"
      let verdict = (ratio >= Self.groupCommitTargetSpeedup ? "meets" : "MISSES") + " the \(target) target"
      report.addHighlight(
        "\(what): group commit \(NumberFormat.fixed(grouped, decimals: 0)), one fsync per write "
          + "\(NumberFormat.fixed(alone, decimals: 0)), ratio "
          + "\(NumberFormat.fixed(ratio, decimals: 1))x (\(verdict))")
    }
  }

  /// Sequential latency on one connection, one slice (on a connection of its own) per `measure`.
  func profiledLatency(_ plan: UnaryPlan, socketPath: String) -> LatencyContender {
    let warmup = options.latencyWarmupCalls
    let unary = plan.unary
    return LatencyContender(label: "profiled: \(unary.label) latency", side: .profiled) { calls in
      try await RPCScenarios.withUnaryCalls(unary, socketPath: socketPath, connections: 1) { connections, executor in
        await LoadDriver.latency(warmupCalls: warmup, calls: calls, call: connections[0], executor: executor)
      }
    }
  }

  /// The plan's `point` on the server at `socketPath`, with connections (and, for calls that
  /// need them, users) set up afresh for each slice; figures of the one-fsync-per-write server
  /// carry its footnote. With a `meter`, each window's CPU time is metered too.
  func profiledThroughput(
    _ plan: UnaryPlan, _ point: UnaryPlan.Point, socketPath: String, side: Report.Side,
    meter: CPUMeter? = nil
  ) -> Contender {
    let unary = plan.unary
    return Contender(
      label: "\(side): \(unary.label) throughput, \(point.concurrency) in flight, \(point.connections) connection(s)",
      side: side,
      rows: [(plan.metric(for: point), side == .oneFsyncPerWrite ? Self.oneFsyncPerWriteFootnote : nil)]
    ) { warmup, duration in
      try await RPCScenarios.withUnaryCalls(unary, socketPath: socketPath, connections: point.connections) {
        calls, executor in
        await LoadDriver.throughput(
          workers: point.concurrency, calls: calls, warmup: warmup, duration: duration, executor: executor,
          meter: meter)
      }
    }
  }
}
