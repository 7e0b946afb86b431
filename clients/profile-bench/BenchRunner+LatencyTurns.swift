/// Sequential latency of the raw baseline and profiled, measured in slices that take turns.
///
/// A lone call's latency is mostly the kernel waking the sleeping threads at each end, and on
/// this virtual machine that cost moves within minutes (`perf bench sched pipe` has ranged from
/// 13 to 94 µs per round trip across the two vCPUs). Measured once per side, one after the other,
/// the two figures could differ by that alone: one run gave the raw baseline a p50 of 13.0 µs and
/// profiled 148.5 µs, the next 101.6 against 111.2. In turns, a change of the host weighs on both.
extension BenchRunner {
  /// One side of the compared latency.
  struct LatencyContender {
    /// For the progress lines and failure notes.
    let label: String
    let side: Report.Side
    /// Times `calls` sequential calls after its own warm-up.
    let measure: (_ calls: Int) async throws -> LatencyResult
  }

  /// Measures every contender in `options.rounds` slices of `--latency-calls`, taking turns,
  /// and records each side's p50, p99 and mean over the samples of all its slices, or the error
  /// that stopped it (a contender that fails skips its later slices, and the others go on).
  /// The ratio of each round's p50s is recorded when every slice of both sides succeeded.
  func takeLatencyTurns(_ contenders: [LatencyContender], call: String, into report: inout Report) async {
    let slices = BenchOptions.latencySlices(
      calls: options.latencyCalls, rounds: contenders.count > 1 ? options.rounds : 1)
    var results: [Result<[LatencyResult], any Error>] = contenders.map { _ in .success([]) }
    for (round, calls) in slices.enumerated() {
      for (index, contender) in contenders.enumerated() {
        guard case .success(var done) = results[index] else { continue }
        let slice = slices.count > 1 ? " (slice \(round + 1) of \(slices.count))" : ""
        Console.progress("\(contender.label), \(calls) sequential calls\(slice)")
        do {
          done.append(try await contender.measure(calls))
          results[index] = .success(done)
        } catch {
          results[index] = .failure(error)
        }
      }
    }
    for (contender, result) in zip(contenders, results) {
      switch result {
      case .success(let parts):
        record(LatencyResult(merging: parts), call: call, side: contender.side, into: &report)
      case .failure(let error):
        report.recordFailure(
          of: Metric.latencyRows(of: call), side: contender.side,
          what: "\(call) latency", error: error)
      }
    }
    recordLatencySliceRatios(contenders, results, call: call, slices: slices.count, into: &report)
  }

  /// Profiled's p50 over the baseline's, round by round, when both have every slice's p50.
  private func recordLatencySliceRatios(
    _ contenders: [LatencyContender], _ results: [Result<[LatencyResult], any Error>], call: String, slices: Int,
    into report: inout Report
  ) {
    func p50s(_ side: (Report.Side) -> Bool) -> [Double]? {
      guard let index = contenders.firstIndex(where: { side($0.side) }),
        case .success(let parts) = results[index], parts.count == slices
      else { return nil }
      let medians = parts.compactMap { $0.statistics.map { Double($0.p50) } }
      return medians.count == slices && medians.allSatisfy({ $0 > 0 }) ? medians : nil
    }
    guard slices > 1, let profiled = p50s({ $0 == .profiled }), let baseline = p50s({ $0 != .profiled }) else {
      return
    }
    report.recordSliceRatios(zip(profiled, baseline).map { $0 / $1 }, for: Metric.latency("p50", of: call))
  }
}
