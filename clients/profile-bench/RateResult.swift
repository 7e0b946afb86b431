/// Events (calls or stream messages) completed in a measured time.
struct RateResult: Sendable {
  /// Events completed within the measured time.
  let count: Int
  /// The measured time in seconds: the throughput window, or the stream's duration.
  let seconds: Double
  let errors: ErrorTally
  /// CPU time each side used during the measured time, when it was metered (a ping-pong point).
  var cpu: CPUUsage? = nil

  /// Events per second; 0 for an empty window.
  var perSecond: Double { seconds > 0 ? Double(count) / seconds : 0 }
}

extension RateResult {
  /// No events in no time and no CPU time: what results are added to.
  static let empty = RateResult(
    count: 0, seconds: 0, errors: ErrorTally(), cpu: CPUUsage(server: .zero, client: .zero))

  /// This result and `other` as one: their events over their summed measured times.
  func adding(_ other: RateResult) -> RateResult {
    var errors = errors
    errors.merge(other.errors)
    // Usage is known only when every part metered it.
    let usage = cpu.flatMap { mine in other.cpu.map { mine.adding($0) } }
    return RateResult(
      count: count + other.count, seconds: seconds + other.seconds, errors: errors, cpu: usage)
  }
}
