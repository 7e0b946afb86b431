/// Per-call latencies of a sequential run, reduced to the figures the report shows.
struct LatencyResult: Sendable {
  /// Order statistics in nanoseconds.
  struct Statistics: Sendable {
    let p50: UInt64
    let p99: UInt64
    let mean: Double
    let minimum: UInt64
    let maximum: UInt64
  }

  /// Successful calls timed.
  let sampleCount: Int
  /// Nil when no call succeeded.
  let statistics: Statistics?
  let errors: ErrorTally

  /// Sorts `samples` (nanoseconds, one per successful call) and takes nearest-rank percentiles:
  /// p99 of 20,000 samples is the 19,800th smallest.
  init(samples: [UInt64], errors: ErrorTally) {
    sampleCount = samples.count
    self.errors = errors
    guard !samples.isEmpty else {
      statistics = nil
      return
    }
    let sorted = samples.sorted()
    func percentile(_ fraction: Double) -> UInt64 {
      let rank = Int((fraction * Double(sorted.count)).rounded(.up))
      return sorted[min(max(rank, 1), sorted.count) - 1]
    }
    let total = sorted.reduce(0.0) { $0 + Double($1) }
    statistics = Statistics(
      p50: percentile(0.50), p99: percentile(0.99), mean: total / Double(sorted.count),
      minimum: sorted[0], maximum: sorted[sorted.count - 1])
  }
}
