/// One row of the report: what is measured, in which unit, and which way is better.
///
/// Figures recorded under equal metrics share a row, one per side: that is how a profiled
/// figure meets its raw baseline. Rows keep the order in which metrics are first recorded.
struct Metric: Hashable, Sendable {
  enum Unit: Hashable, Sendable {
    case microseconds
    /// Events per second, with the events named: "calls/s", "messages/s", "writes/s".
    case rate(String)
    case mebibytes
    /// A duration of one run of something long, such as an export.
    case seconds

    /// The unit as printed after a row's label.
    var symbol: String {
      switch self {
      case .microseconds: "µs"
      case .rate(let name): name
      case .mebibytes: "MiB"
      case .seconds: "s"
      }
    }
  }

  /// Which way a figure improves; the ratio is always profiled / raw.
  enum Better: Hashable, Sendable {
    case lower
    case higher
  }

  let label: String
  let unit: Unit
  let better: Better
}
