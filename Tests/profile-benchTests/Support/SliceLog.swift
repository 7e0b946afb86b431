import Synchronization

/// What the fake contenders of the turn-taking tests did, in the order their slices ran.
final class SliceLog: Sendable {
  private let entries = Mutex<[String]>([])
  func append(_ entry: String) { entries.withLock { $0.append(entry) } }
  var all: [String] { entries.withLock { $0 } }
}

/// The error a fake contender throws on the slice it is told to fail.
struct SliceStopped: Error {}
