/// Runs the whole benchmark once and prints the report.
///
/// Every server starts first (`BenchRunner+Servers`); then, call by call, latency (the raw
/// baseline before profiled) and throughput, where the points that compare two servers take
/// turns (`BenchRunner+Turns`); then the streams and memory. A measurement that fails becomes
/// a "failed" cell and a note, and the run carries on, so one broken point hides no other.
struct BenchRunner {
  let options: BenchOptions
  /// The command line as typed, for the report's header.
  let commandLine: String

  /// Marks raw figures measured with one connection per call in flight, shown in rows that
  /// give the profiled side a single connection.
  static let oneConnectionPerCallFootnote = (
    marker: "†",
    text: "the raw baseline keeps one request in flight per connection, so on these rows it "
      + "uses as many connections as calls in flight.")

  /// Measures, prints the report on standard output, and returns the exit status.
  func run() async -> Int32 {
    if !options.runsRaw && !RPCScenarios.isWired {
      Console.error(
        "profile-bench: --only profiled: the RPC scenarios are not wired yet "
          + "(clients/profile-bench/RPCScenarios.swift)")
      return 2
    }
    do {
      try Watchdog.arm(seconds: options.timeBudgetSeconds)
    } catch {
      Console.error("profile-bench: cannot start the watchdog: \(error)")
      return 2
    }
    if options.clientBusyPollMicroseconds > 0 {
      do {
        try RPCScenarios.setClientBusyPoll(microseconds: options.clientBusyPollMicroseconds)
      } catch {
        Console.error("profile-bench: cannot set the client's busy poll: \(error)")
        return 2
      }
    }
    var report = Report(header: header())
    report.declare(plannedMetrics)
    await withServers(into: &report) { servers, report in
      await measure(with: servers, into: &report)
    }
    if options.measuresStore && RPCScenarios.isWired {
      summarizeDurableWrites(into: &report)
      await measureYearExport(into: &report)
    }
    print(options.markdown ? report.markdown : report.plainText)
    return report.failureCount > 0 ? 1 : 0
  }

  /// Everything measured on the running servers, in report order.
  private func measure(with servers: BenchServers, into report: inout Report) async {
    let plans = servers.profiledSocket == nil ? [] : UnaryPlan.plans(for: options)
    // The raw baseline's latency is taken in turns with profiled's ping-pong, or alone.
    let rawLatencyInTurns = plans.contains { $0.unary == .pingPong && $0.measuresLatency }
    if let raw = servers.raw, !rawLatencyInTurns {
      await takeLatencyTurns([rawLatency(raw.client)], call: RPCScenarios.Unary.pingPong.label, into: &report)
    }
    for plan in plans {
      if plan.measuresLatency, let socketPath = servers.profiledSocket {
        var contenders = [profiledLatency(plan, socketPath: socketPath)]
        if plan.unary == .pingPong, let raw = servers.raw { contenders.insert(rawLatency(raw.client), at: 0) }
        await takeLatencyTurns(contenders, call: plan.unary.label, into: &report)
      }
      if plan.unary == .pingPong {
        await measurePingPongThroughput(with: servers, into: &report)
      } else {
        await measureThroughput(plan, with: servers, into: &report)
      }
    }
    // Without profiled (--only raw, or its server did not start), the raw baseline alone.
    if plans.isEmpty { await measurePingPongThroughput(with: servers, into: &report) }

    if let raw = servers.raw { await measureRawStream(raw.client, into: &report) }
    if let socketPath = servers.profiledSocket {
      await measureProfiledStreams(socketPath: socketPath, into: &report)
    }
    if let raw = servers.raw {
      recordPeakMemory(side: .raw, into: &report) { try raw.server.peakResidentKiB() }
    }
    if let peakKiB = servers.profiledPeakKiB {
      recordPeakMemory(side: .profiled, into: &report, peakKiB)
    }
  }

  /// The report's rows in order: the ping-pong rows (latency, throughput on one connection,
  /// throughput on one connection per call), the other unary calls (`UnaryPlan`), the stream,
  /// memory.
  var plannedMetrics: [Metric] {
    var plans = UnaryPlan.plans(for: options)
    if !(options.runsProfiled && RPCScenarios.isWired) {
      plans = plans.filter { $0.unary == .pingPong }
    }
    var metrics = plans.flatMap(\.metrics) + [.serverStream]
    if options.measuresStore && RPCScenarios.isWired { metrics += [.transactionStream, .yearExport] }
    return metrics + [.serverPeakMemory]
  }

  /// Records a latency run as p50, p99 and mean rows of `call`.
  func record(
    _ result: LatencyResult, call: String, side: Report.Side, into report: inout Report
  ) {
    let metrics = Metric.latencyRows(of: call)
    report.recordErrors(result.errors, side: side, what: "\(call) latency")
    guard let statistics = result.statistics else {
      report.recordFailure(
        of: metrics, side: side, what: "\(call) latency",
        error: BenchError.protocolViolation("no call succeeded"))
      return
    }
    let figures = [Double(statistics.p50), Double(statistics.p99), statistics.mean]
    for (metric, nanoseconds) in zip(metrics, figures) {
      report.record(nanoseconds / 1_000, for: metric, side: side)
    }
  }

  /// Records a throughput or stream run under `metrics` (one run may fill several rows).
  func record(
    _ result: RateResult, as metrics: [Metric], side: Report.Side, into report: inout Report,
    footnote: (marker: String, text: String)? = nil
  ) {
    report.recordErrors(result.errors, side: side, what: metrics[0].label)
    for metric in metrics {
      report.record(result.perSecond, for: metric, side: side, footnote: footnote)
    }
  }

  /// Records a server's peak RSS, or why it could not be read.
  func recordPeakMemory(
    side: Report.Side, into report: inout Report, _ read: () throws -> Int
  ) {
    do {
      report.record(Double(try read()) / 1024, for: .serverPeakMemory, side: side)
    } catch {
      report.recordFailure(
        of: [.serverPeakMemory], side: side, what: "reading the server's peak RSS", error: error)
    }
  }

  private var profiledSetup: String {
    if !options.runsProfiled { return "not run (--only raw)" }
    if !RPCScenarios.isWired { return "not run: the RPC scenarios are not wired yet" }
    let client = options.clientBusyPollMicroseconds > 0
      ? "; its client polls \(options.clientBusyPollMicroseconds) µs after work before sleeping" : ""
    if let socketPath = options.socketPath { return "server already running on \(socketPath)" + client }
    return "server in a child process (--serve-rpc): \(RPCScenarios.Commit.grouped)" + client
  }

  /// Header lines about the calls that act as a signed-in user; none when they are not run.
  private var sessionCallLines: [(name: String, value: String)] {
    guard options.measuresStore && RPCScenarios.isWired else { return [] }
    let directory = RPCScenarios.dataDirectoryParent
    let fileSystem = ProcFS.fileSystem(of: directory).map { " (\($0))" } ?? ""
    let concurrencies = BenchOptions.sessionCallConcurrencies.map(String.init)
      .joined(separator: ", ")
    let callers = BenchOptions.durableWriteCallers.map(String.init).joined(separator: " and ")
    return [
      (
        "accounts",
        "every GetProfile, VerifyToken, UpdateProfile and ConsumeCredits connection signs up a user of its own "
          + "and signs in before timing; the servers hash passwords with scrypt "
          + "\(RPCScenarios.passwordHashing) (production: ln=15) to make that quick; no timed "
          + "call hashes a password"
      ),
      (
        "session reads",
        "GetProfile, VerifyToken: latency as above; throughput with \(concurrencies) calls in "
          + "flight on one connection (one user, one session token; for \"VerifyToken (API "
          + "token)\", a personal API token that user created), same durations as above"
      ),
      (
        "durable writes",
        "UpdateProfile with a new first name per call (one transaction with an audit row), "
          + "\(callers) callers, each a user on a connection of its own, same durations as "
          + "above; against the server above and, as baseline, a second child server "
          + "(--serve-rpc-unbatched): \(RPCScenarios.Commit.oneFsyncPerWrite); SQLite WAL; "
          + "data directories under \(directory)\(fileSystem)"
      ),
      (
        "credits",
        "ConsumeCredits of 1 credit as a trusted caller, 64 callers, each charging a credit-based "
          + "organization of its own (a balance check, a transaction, the balance and an audit row per "
          + "write), against both servers as UpdateProfile; ListTransactions streams the newest "
          + "\(NumberFormat.grouped(UInt64(RPCScenarios.streamedTransactions))) of one organization per call; the "
          + "year's export runs on a server in the benchmark process over "
          + "\(NumberFormat.grouped(UInt64(RPCScenarios.exportedRecords))) consumption records seeded in SQL, "
          + "timed from StartExport until WatchExport says ready"
      ),
    ]
  }

  /// Lines above the table: what ran, where, and how long each step was.
  private func header() -> [(name: String, value: String)] {
    let options = options
    let latencySlices = BenchOptions.latencySlices(calls: options.latencyCalls, rounds: options.rounds).count
    let latency =
      "\(NumberFormat.grouped(UInt64(options.latencyCalls))) sequential calls after "
      + "\(NumberFormat.grouped(UInt64(options.latencyWarmupCalls))) untimed"
      + (latencySlices > 1 && options.runsRaw && options.runsProfiled
        ? "; the ping-pong calls compared with the raw baseline in \(latencySlices) slices per side, "
          + "taking turns, each after its own untimed calls"
        : "")
    let throughput =
      "\(NumberFormat.fixed(options.durationSeconds, decimals: 2)) s per point after "
      + "\(NumberFormat.fixed(options.warmupSeconds, decimals: 2)) s warm-up; calls in flight: "
      + options.concurrencies.map(String.init).joined(separator: ", ")
      + (options.rounds > 1
        ? "; points compared across two servers in \(options.rounds) slices per side, taking turns, "
          + "each after its own warm-up"
        : "")
    let stream =
      "\(NumberFormat.grouped(UInt64(options.streamMessages))) messages after "
      + "\(NumberFormat.grouped(UInt64(options.streamWarmupMessages))) untimed"
    let prefix = ByteQueue.lengthPrefixBytes
    let raw =
      "epoll server thread in a child process, epoll client thread; "
      + "\(RawProtocol.requestPayloadBytes)+\(prefix)-byte requests, "
      + "\(RawProtocol.responsePayloadBytes)+\(prefix)-byte responses, "
      + "\(RawProtocol.streamMessagePayloadBytes)+\(prefix)-byte stream messages"
    return [
      ("command", commandLine),
      ("date", MachineInfo.timestamp()),
      ("nproc", MachineInfo.processorSummary()),
      ("cpu", ProcFS.processorModel() ?? "unknown"),
      ("kernel", MachineInfo.kernel()),
      ("load", (ProcFS.loadAverages() ?? "unknown") + " (1, 5, 15 min, at the start)"),
      ("build", MachineInfo.buildConfiguration),
      ("latency", latency),
      ("throughput", throughput),
      ("stream", stream),
      ("raw baseline", options.runsRaw ? raw : "not run (--only profiled)"),
      ("profiled", profiledSetup),
    ] + sessionCallLines + [
      ("note", "all figures come from this one run (not averaged), so expect some noise"),
    ]
  }
}
