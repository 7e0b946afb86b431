@testable import profile_bench
import Synchronization
import Testing

@Suite struct LatencyTurnsTests {
  /// A contender whose slice `n` (from 1) times its calls at `microseconds[n - 1]` each (the
  /// last figure for later slices) and fails on slice `failsOn`.
  func contender(
    _ name: String, side: Report.Side, microseconds: [UInt64], log: SliceLog, failsOn failingSlice: Int? = nil
  ) -> BenchRunner.LatencyContender {
    let slices = Mutex(0)
    return BenchRunner.LatencyContender(label: name, side: side) { calls in
      let slice = slices.withLock { count in
        count += 1
        return count
      }
      log.append("\(name)\(slice):\(calls)")
      if slice == failingSlice { throw SliceStopped() }
      let each = microseconds[min(slice, microseconds.count) - 1] * 1_000
      return LatencyResult(samples: Array(repeating: each, count: calls), errors: ErrorTally())
    }
  }

  func takeTurns(calls: Int, rounds: Int, _ contenders: [BenchRunner.LatencyContender]) async -> Report {
    var options = BenchOptions()
    options.latencyCalls = calls
    options.rounds = rounds
    var report = Report(header: [])
    report.declare(Metric.latencyRows())
    await BenchRunner(options: options, commandLine: "test").takeLatencyTurns(contenders, call: "unary", into: &report)
    return report
  }

  @Test func callsAreSplitEvenlyAndNoSliceIsEmpty() {
    #expect(BenchOptions.latencySlices(calls: 20_000, rounds: 3) == [6_667, 6_667, 6_666])
    #expect(BenchOptions.latencySlices(calls: 2_000, rounds: 1) == [2_000])
    #expect(BenchOptions.latencySlices(calls: 2, rounds: 3) == [1, 1])
    #expect(BenchOptions.latencySlices(calls: 1, rounds: 0) == [1])
  }

  @Test func sidesTakeTurnsAndEachFigureIsOverAllItsSamples() async {
    let log = SliceLog()
    // The host slows down in the second round; both sides see it.
    let report = await takeTurns(
      calls: 9, rounds: 3,
      [
        contender("raw", side: .raw, microseconds: [10, 100, 10], log: log),
        contender("profiled", side: .profiled, microseconds: [20, 150, 20], log: log),
      ])
    #expect(log.all == ["raw1:3", "profiled1:3", "raw2:3", "profiled2:3", "raw3:3", "profiled3:3"])
    // Nine samples per side: six fast, three slow; p50 is the fifth smallest, p99 the ninth.
    #expect(report.figure(for: .latency("p50"), side: .raw) == 10)
    #expect(report.figure(for: .latency("p99"), side: .raw) == 100)
    #expect(report.figure(for: .latency("mean"), side: .raw) == 40)
    #expect(report.figure(for: .latency("p50"), side: .profiled) == 20)
    #expect(report.figure(for: .latency("p99"), side: .profiled) == 150)
    #expect(report.failureCount == 0)
    #expect(report.sliceRatios.map(\.metric) == [.latency("p50")])
    #expect(report.sliceRatios.first?.ratios == [2, 1.5, 2])
  }

  @Test func aSideThatFailsSkipsItsLaterSlicesAndTheOtherGoesOn() async {
    let log = SliceLog()
    let report = await takeTurns(
      calls: 4, rounds: 2,
      [
        contender("raw", side: .raw, microseconds: [10], log: log, failsOn: 1),
        contender("profiled", side: .profiled, microseconds: [30], log: log),
      ])
    #expect(log.all == ["raw1:2", "profiled1:2", "profiled2:2"])
    #expect(report.figure(for: .latency("p50"), side: .raw) == nil)
    #expect(report.figure(for: .latency("p50"), side: .profiled) == 30)
    #expect(report.failureCount == 1)
    #expect(report.sliceRatios.isEmpty)
  }

  @Test func aLoneContenderTakesEveryCallInOneSlice() async {
    let log = SliceLog()
    let report = await takeTurns(calls: 5, rounds: 3, [contender("raw", side: .raw, microseconds: [7], log: log)])
    #expect(log.all == ["raw1:5"])
    #expect(report.figure(for: .latency("p50"), side: .raw) == 7)
    #expect(report.sliceRatios.isEmpty)
  }

  @Test func mergedResultsTakePercentilesOverEverySampleAndKeepEveryError() {
    var failing = ErrorTally()
    failing.record(SliceStopped())
    let merged = LatencyResult(merging: [
      LatencyResult(samples: [3_000, 1_000, 2_000], errors: ErrorTally()),
      LatencyResult(samples: [20_000, 10_000], errors: failing),
      LatencyResult(samples: [], errors: failing),
    ])
    #expect(merged.sampleCount == 5)
    #expect(merged.statistics?.p50 == 3_000)
    #expect(merged.statistics?.minimum == 1_000)
    #expect(merged.statistics?.maximum == 20_000)
    #expect(merged.statistics?.mean == 7_200)
    #expect(merged.errors.count == 2)
    #expect(LatencyResult(merging: []).statistics == nil)
  }
}
