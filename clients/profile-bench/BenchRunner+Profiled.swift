internal import Glibc

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

  /// Measures every `UnaryPlan`, the server stream and the server's peak RSS, against the
  /// server on `--socket` or one started in a child process; then the durable-write points
  /// again against a child server that commits every write alone, and sums up the comparison.
  func measureProfiled(into report: inout Report) async {
    guard RPCScenarios.isWired else {
      report.addNote(
        "profiled: not measured: the RPC scenarios are not wired yet "
          + "(clients/profile-bench/RPCScenarios.swift), so this run has the raw baseline only.")
      return
    }
    if let socketPath = options.socketPath {
      // Not our child: find its pid from the socket's peer credentials, for its RSS.
      let serverPID: Result<pid_t, any Error> = Result {
        let probe = try UnixSocket.connect(path: socketPath, nonBlocking: false)
        defer { close(probe) }
        return try UnixSocket.peerProcessID(probe)
      }
      await measureProfiled(socketPath: socketPath, into: &report)
      recordPeakMemory(side: .profiled, into: &report) {
        try ProcFS.peakResidentKiB(of: try serverPID.get())
      }
    } else {
      let socketPath = ChildServer.temporarySocketPath(tag: "rpc")
      Console.progress("profiled: starting its server")
      do {
        try await ChildServer.withChild(
          role: "profiled server", flag: BenchCommand.serveRPCFlag, socketPath: socketPath
        ) { server in
          await measureProfiled(socketPath: socketPath, into: &report)
          recordPeakMemory(side: .profiled, into: &report) { try server.peakResidentKiB() }
        }
      } catch {
        report.addFailure("profiled: \(error)")
      }
    }
    await measureOneFsyncPerWrite(into: &report)
    summarizeDurableWrites(into: &report)
    await measureYearExport(into: &report)
  }

  private func measureProfiled(socketPath: String, into report: inout Report) async {
    let options = options
    for plan in UnaryPlan.plans(for: options) {
      if plan.measuresLatency {
        await measureLatency(plan, socketPath: socketPath, into: &report)
      }
      await measureThroughput(plan, socketPath: socketPath, side: .profiled, into: &report)
    }

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
    await measureTransactionStream(socketPath: socketPath, into: &report)
  }

  /// The durable-write points against a second child server with one fsync per write.
  private func measureOneFsyncPerWrite(into report: inout Report) async {
    let plans = UnaryPlan.plans(for: options).filter(\.comparesWithOneFsyncPerWrite)
    guard !plans.isEmpty else { return }
    let socketPath = ChildServer.temporarySocketPath(tag: "rpc-unbatched")
    Console.progress("\(Report.Side.oneFsyncPerWrite): starting its server")
    do {
      try await ChildServer.withChild(
        role: "profiled server with one fsync per write", flag: BenchCommand.serveRPCUnbatchedFlag,
        socketPath: socketPath
      ) { _ in
        for plan in plans {
          await measureThroughput(
            plan, socketPath: socketPath, side: .oneFsyncPerWrite, into: &report)
        }
      }
    } catch {
      report.addFailure("\(Report.Side.oneFsyncPerWrite): \(error)")
    }
  }

  /// One highlight per durable-write call: both servers' figures at the most callers, their
  /// ratio, and whether it reaches `groupCommitTargetSpeedup`. A miss is stated, not counted
  /// as a failure: the exit status says whether the measurements worked.
  private func summarizeDurableWrites(into report: inout Report) {
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

  /// Sequential latency on one connection.
  private func measureLatency(_ plan: UnaryPlan, socketPath: String, into report: inout Report)
    async
  {
    let options = options
    let call = plan.unary.label
    Console.progress("profiled: \(call) latency, \(options.latencyCalls) sequential calls")
    do {
      let result = try await RPCScenarios.withUnaryCalls(
        plan.unary, socketPath: socketPath, connections: 1
      ) { calls, executor in
        await LoadDriver.latency(
          warmupCalls: options.latencyWarmupCalls, calls: options.latencyCalls, call: calls[0],
          executor: executor)
      }
      record(result, call: call, side: .profiled, into: &report)
    } catch {
      report.recordFailure(
        of: plan.latencyMetrics, side: .profiled, what: "\(call) latency", error: error)
    }
  }

  /// Throughput at each of the plan's points, on the server at `socketPath`; figures of the
  /// one-fsync-per-write server carry its footnote.
  private func measureThroughput(
    _ plan: UnaryPlan, socketPath: String, side: Report.Side, into report: inout Report
  ) async {
    let options = options
    let warmup = Duration.seconds(options.warmupSeconds)
    let duration = Duration.seconds(options.durationSeconds)
    let footnote = side == .oneFsyncPerWrite ? Self.oneFsyncPerWriteFootnote : nil
    let unary = plan.unary
    for point in plan.points {
      let metric = plan.metric(for: point)
      Console.progress(
        "\(side): \(unary.label) throughput, \(point.concurrency) in flight, "
          + "\(point.connections) connection(s)")
      do {
        let result = try await RPCScenarios.withUnaryCalls(
          unary, socketPath: socketPath, connections: point.connections
        ) { calls, executor in
          await LoadDriver.throughput(
            workers: point.concurrency, calls: calls, warmup: warmup, duration: duration,
            executor: executor)
        }
        record(result, as: [metric], side: side, into: &report, footnote: footnote)
      } catch {
        report.recordFailure(
          of: [metric], side: side,
          what: "\(unary.label) throughput with \(point.concurrency) in flight on "
            + "\(point.connections) connection(s)", error: error)
      }
    }
  }
}
