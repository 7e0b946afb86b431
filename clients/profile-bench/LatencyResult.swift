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
  var sampleCount: Int { sorted.count }
  /// Nil when no call succeeded.
  let statistics: Statistics?
  let errors: ErrorTally
  /// The samples in ascending order, kept so that slices can be merged.
  private let sorted: [UInt64]

  /// Sorts `samples` (nanoseconds, one per successful call) and takes nearest-rank percentiles:
  /// p99 of 20,000 samples is the 19,800th smallest.
  init(samples: [UInt64], errors: ErrorTally) {
    self.errors = errors
    let sorted = samples.sorted()
    self.sorted = sorted
    guard !sorted.isEmpty else {
      statistics = nil
      return
    }
    func percentile(_ fraction: Double) -> UInt64 {
      let rank = Int((fraction * Double(sorted.count)).rounded(.up))
      return sorted[min(max(rank, 1), sorted.count) - 1]
    }
    let total = sorted.reduce(0.0) { $0 + Double($1) }
    statistics = Statistics(
      p50: percentile(0.50), p99: percentile(0.99), mean: total / Double(sorted.count),
      minimum: sorted[0], maximum: sorted[sorted.count - 1])
  }

  /// One result of every sample and error of `parts` (slices of one measurement): its
  /// percentiles are over all the samples, not an average of the parts'.
  init(merging parts: [LatencyResult]) {
    var errors = ErrorTally()
    for part in parts { errors.merge(part.errors) }
    self.init(samples: parts.flatMap(\.sorted), errors: errors)
  }
}
