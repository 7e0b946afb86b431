/// The errors seen during one measurement: how many, and the first few distinct descriptions.
///
/// Every failed call is counted here; the report prints the count and the descriptions, and the
/// run's exit status is 1 when any tally is non-zero.
struct ErrorTally: Sendable {
  /// Distinct descriptions kept, so a burst of identical failures does not flood the report.
  static let keptDescriptions = 3

  /// Errors recorded.
  private(set) var count = 0
  /// The first `keptDescriptions` distinct descriptions, in order of first occurrence.
  private(set) var descriptions: [String] = []

  var isEmpty: Bool { count == 0 }

  mutating func record(_ error: any Error) {
    record(description: String(describing: error))
  }

  mutating func record(description: String) {
    count += 1
    if descriptions.count < Self.keptDescriptions && !descriptions.contains(description) {
      descriptions.append(description)
    }
  }

  mutating func merge(_ other: ErrorTally) {
    count += other.count
    for description in other.descriptions
    where descriptions.count < Self.keptDescriptions && !descriptions.contains(description) {
      descriptions.append(description)
    }
  }

  /// "3 errors: first; second", for the report's notes.
  var summary: String {
    let noun = count == 1 ? "error" : "errors"
    return "\(count) \(noun): " + descriptions.joined(separator: "; ")
  }
}
