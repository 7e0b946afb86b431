/// Throughput points compared across two servers, measured in slices that take turns.
///
/// The machine is shared and its load moves within minutes (the raw baseline alone has ranged
/// from 74,000 to 260,000 calls/s between runs), so a ratio of two figures measured minutes
/// apart says as much about the neighbours as about profiled. Each compared point is split
/// into `--rounds` slices per side, taken in turns (a, b, a, b, ...), and a side's figure is
/// its calls over its measured time.
extension BenchRunner {
  /// One side of a compared point.
  struct Contender {
    /// For the progress lines and failure notes.
    let label: String
    let side: Report.Side
    /// The rows its figure fills, each with its footnote, if any.
    let rows: [(metric: Metric, footnote: (marker: String, text: String)?)]
    /// Measures one slice: `duration` after an untimed `warmup`.
    let measure: (_ warmup: Duration, _ duration: Duration) async throws -> RateResult
  }

  /// Measures every contender in `options.rounds` slices of the point's duration, taking turns,
  /// each slice after its own warm-up (a single contender is measured once, whole), and
  /// records each contender's figure or the error that stopped it; a contender that fails
  /// skips its later slices, and the others go on.
  func takeTurns(_ contenders: [Contender], into report: inout Report) async {
    let rounds = contenders.count > 1 ? options.rounds : 1
    let warmup = Duration.seconds(options.warmupSeconds)
    let slice = Duration.seconds(options.durationSeconds / Double(rounds))
    var totals: [Result<RateResult, any Error>] = contenders.map { _ in .success(.empty) }
    var slices: [[RateResult]] = contenders.map { _ in [] }
    for round in 1...rounds {
      for (index, contender) in contenders.enumerated() {
        guard case .success(let total) = totals[index] else { continue }
        Console.progress(contender.label + (rounds > 1 ? " (slice \(round) of \(rounds))" : ""))
        do {
          let result = try await contender.measure(warmup, slice)
          slices[index].append(result)
          totals[index] = .success(total.adding(result))
        } catch {
          totals[index] = .failure(error)
        }
      }
    }
    if rounds > 1 { recordSliceRatios(of: contenders, slices, into: &report) }
    for (contender, total) in zip(contenders, totals) {
      switch total {
      case .success(let result):
        for row in contender.rows {
          record(result, as: [row.metric], side: contender.side, into: &report, footnote: row.footnote)
        }
        // Under the contender's own row only: the raw baseline's also fills a row of profiled
        // on one connection, where its CPU time would read as that point's.
        if let row = contender.rows.first, let perCall = result.cpu?.perCall(result.count) {
          report.recordCPUPerCall(server: perCall.server, client: perCall.client, for: row.metric, side: contender.side)
        }
      case .failure(let error):
        report.recordFailure(
          of: contender.rows.map(\.metric), side: contender.side, what: contender.label, error: error)
      }
    }
  }

  /// For each row a profiled contender shares with a baseline contender whose every slice was
  /// measured, the ratio of each pair of slices taken in the same round.
  private func recordSliceRatios(
    of contenders: [Contender], _ slices: [[RateResult]], into report: inout Report
  ) {
    for (index, contender) in contenders.enumerated() where contender.side == .profiled {
      for row in contender.rows {
        guard
          let baseline = contenders.indices.first(where: { other in
            contenders[other].side != .profiled && contenders[other].rows.contains { $0.metric == row.metric }
          }),
          slices[index].count == options.rounds, slices[baseline].count == options.rounds,
          slices[baseline].allSatisfy({ $0.perSecond > 0 })
        else { continue }
        let ratios = zip(slices[index], slices[baseline]).map { $0.perSecond / $1.perSecond }
        report.recordSliceRatios(ratios, for: row.metric)
      }
    }
  }

  /// The ping-pong throughput rows at each `--concurrency`: the raw baseline with one
  /// connection per call in flight, and profiled with every call on one connection and with a
  /// connection per call, taking turns.
  func measurePingPongThroughput(with servers: BenchServers, into report: inout Report) async {
    let plan = UnaryPlan.plan(for: .pingPong, options: options)
    for concurrency in options.concurrencies {
      var contenders: [Contender] = []
      if let raw = servers.raw {
        contenders.append(rawThroughput(raw.client, connections: concurrency, serverPID: raw.server.pid))
      }
      if let socketPath = servers.profiledSocket {
        let meter = CPUMeter(serverPID: servers.profiledPID)
        for point in plan.points where point.concurrency == concurrency {
          contenders.append(
            profiledThroughput(plan, point, socketPath: socketPath, side: .profiled, meter: meter))
        }
      }
      await takeTurns(contenders, into: &report)
    }
  }

  /// The throughput rows of a profiled-only plan, or of a durable-write plan against both
  /// servers, taking turns; each side's CPU time per call metered.
  func measureThroughput(_ plan: UnaryPlan, with servers: BenchServers, into report: inout Report) async {
    guard let socketPath = servers.profiledSocket else { return }
    for point in plan.points {
      var contenders = [
        profiledThroughput(
          plan, point, socketPath: socketPath, side: .profiled, meter: CPUMeter(serverPID: servers.profiledPID))
      ]
      if plan.comparesWithOneFsyncPerWrite, let oneFsync = servers.oneFsyncPerWriteSocket {
        contenders.append(
          profiledThroughput(
            plan, point, socketPath: oneFsync, side: .oneFsyncPerWrite,
            meter: CPUMeter(serverPID: servers.oneFsyncPerWritePID)))
      }
      await takeTurns(contenders, into: &report)
    }
  }
}
