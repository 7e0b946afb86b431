/// The errors seen during one measurement: how many, the first few distinct descriptions, and
/// every incident of the measurement itself (a loop that gave up, a run cut off at its limit).
///
/// Every failed call is counted here; the report prints the count and the descriptions, and the
/// run's exit status is 1 when any tally is not empty.
struct ErrorTally: Sendable {
  /// Distinct call-error descriptions kept, so a burst of identical failures does not flood
  /// the report.
  static let keptDescriptions = 3

  /// Failed calls recorded.
  private(set) var count = 0
  /// The first `keptDescriptions` distinct call-error descriptions, in order of first occurrence.
  private(set) var descriptions: [String] = []
  /// What went wrong with the measurement itself; all kept, as there are few.
  private(set) var incidents: [String] = []

  var isEmpty: Bool { count == 0 && incidents.isEmpty }

  /// Counts one failed call.
  mutating func record(_ error: any Error) {
    count += 1
    keep(String(describing: error))
  }

  /// Notes something that went wrong with the measurement rather than with one call.
  mutating func recordIncident(_ description: String) {
    incidents.append(description)
  }

  mutating func merge(_ other: ErrorTally) {
    count += other.count
    for description in other.descriptions { keep(description) }
    incidents += other.incidents
  }

  /// "3 failed calls (first: a; b); gave up after 100 consecutive errors", for the notes.
  var summary: String {
    var parts: [String] = []
    if count > 0 {
      let noun = count == 1 ? "failed call" : "failed calls"
      parts.append("\(count) \(noun) (" + descriptions.joined(separator: "; ") + ")")
    }
    return (parts + incidents).joined(separator: "; ")
  }

  private mutating func keep(_ description: String) {
    if descriptions.count < Self.keptDescriptions && !descriptions.contains(description) {
      descriptions.append(description)
    }
  }
}
