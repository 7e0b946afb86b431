@testable import profile_bench
import Synchronization
import Testing

@Suite struct TakeTurnsTests {
  /// A contender that logs each slice and reports `calls[slice]` calls in it (the last number
  /// for later slices), failing on slice `failsOn`.
  func contender(
    _ name: String, side: Report.Side, metric: Metric, calls: [Int], log: SliceLog, failsOn failingSlice: Int? = nil
  ) -> BenchRunner.Contender {
    let slices = Mutex(0)
    return BenchRunner.Contender(label: name, side: side, rows: [(metric, nil)]) { _, duration in
      let slice = slices.withLock { count in
        count += 1
        return count
      }
      log.append("\(name)\(slice)")
      if slice == failingSlice { throw SliceStopped() }
      return RateResult(
        count: calls[min(slice, calls.count) - 1], seconds: LoadDriver.seconds(duration), errors: ErrorTally())
    }
  }

  /// Takes turns among `contenders` (3 s points in 3 rounds) and returns the report they filled.
  func takeTurns(_ metric: Metric, _ contenders: [BenchRunner.Contender]) async -> Report {
    var options = BenchOptions()
    options.durationSeconds = 3
    options.rounds = 3
    var report = Report(header: [])
    report.declare([metric])
    await BenchRunner(options: options, commandLine: "test").takeTurns(contenders, into: &report)
    return report
  }

  @Test func sidesTakeTurnsAndEachFigureIsItsCallsOverItsMeasuredTime() async {
    let metric = Metric.throughput(concurrency: 64, connections: 64)
    let log = SliceLog()
    let report = await takeTurns(
      metric,
      [
        contender("a", side: .raw, metric: metric, calls: [100, 200, 100], log: log),
        contender("b", side: .profiled, metric: metric, calls: [50, 40, 30], log: log),
      ])
    #expect(log.all == ["a1", "b1", "a2", "b2", "a3", "b3"])
    // Three slices of 1 s each: 400 calls in 3 s and 120 calls in 3 s.
    #expect(report.figure(for: metric, side: .raw) == 400.0 / 3)
    #expect(report.figure(for: metric, side: .profiled) == 40)
    #expect(report.failureCount == 0)
    // Each round's slices compared, in order.
    #expect(report.sliceRatios.map(\.metric) == [metric])
    #expect(report.sliceRatios.first?.ratios == [0.5, 0.2, 0.3])
    #expect(report.sliceRatioLines == ["\(metric.label): 0.50x, 0.20x, 0.30x"])
  }

  @Test func aSideThatFailsSkipsItsLaterSlicesAndTheOtherGoesOn() async {
    let metric = Metric.throughput(concurrency: 16, connections: 16)
    let log = SliceLog()
    let report = await takeTurns(
      metric,
      [
        contender("a", side: .raw, metric: metric, calls: [10], log: log, failsOn: 2),
        contender("b", side: .profiled, metric: metric, calls: [20], log: log),
      ])
    #expect(log.all == ["a1", "b1", "a2", "b2", "b3"])
    #expect(report.figure(for: metric, side: .raw) == nil)
    #expect(report.figure(for: metric, side: .profiled) == 20)
    #expect(report.failureCount == 1)
    #expect(report.sliceRatios.isEmpty)
  }

  @Test func cpuTimePerCallIsRecordedUnderEachContendersOwnRowOnly() async {
    let ownRow = Metric.throughput(concurrency: 64, connections: 64)
    let sharedRow = Metric.throughput(concurrency: 64, connections: 1)
    // 1,000 calls per 1 s slice; the raw side's server 3 ms and client 2 ms per slice, so 3
    // and 2 µs per call; profiled's server could not be read.
    func metered(_ label: String, side: Report.Side, rows: [Metric], server: Duration?) -> BenchRunner.Contender {
      BenchRunner.Contender(label: label, side: side, rows: rows.map { ($0, nil) }) { _, duration in
        RateResult(
          count: 1_000, seconds: LoadDriver.seconds(duration), errors: ErrorTally(),
          cpu: CPUUsage(server: server, client: .milliseconds(2)))
      }
    }
    var options = BenchOptions()
    options.durationSeconds = 3
    options.rounds = 3
    var report = Report(header: [])
    report.declare([ownRow, sharedRow])
    await BenchRunner(options: options, commandLine: "test").takeTurns(
      [
        metered("raw", side: .raw, rows: [ownRow, sharedRow], server: .milliseconds(3)),
        metered("profiled", side: .profiled, rows: [ownRow], server: nil),
      ], into: &report)
    #expect(report.cpuPerCall.map(\.metric) == [ownRow, ownRow])
    #expect(report.cpuPerCallLines == ["\(ownRow.label): raw baseline 3.00 / 2.00, profiled — / 2.00"])
    #expect(report.figure(for: sharedRow, side: .raw) == 1_000)
  }

  @Test func aLoneContenderIsMeasuredOnceForTheWholeDuration() async {
    let metric = Metric.throughput(concurrency: 1, connections: 1)
    let log = SliceLog()
    let report = await takeTurns(metric, [contender("a", side: .profiled, metric: metric, calls: [30], log: log)])
    #expect(log.all == ["a1"])
    #expect(report.figure(for: metric, side: .profiled) == 10)
    #expect(report.sliceRatios.isEmpty)
  }
}
