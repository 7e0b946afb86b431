/// Events (calls or stream messages) completed in a measured time.
struct RateResult: Sendable {
  /// Events completed within the measured time.
  let count: Int
  /// The measured time in seconds: the throughput window, or the stream's duration.
  let seconds: Double
  let errors: ErrorTally

  /// Events per second; 0 for an empty window.
  var perSecond: Double { seconds > 0 ? Double(count) / seconds : 0 }
}
