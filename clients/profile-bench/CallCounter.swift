internal import Synchronization

/// Numbers 1, 2, 3... for the calls of one closure, which may run concurrently: each call
/// gets a number no other call gets.
final class CallCounter: Sendable {
  private let last = Atomic<Int>(0)

  func next() -> Int {
    last.add(1, ordering: .relaxed).newValue
  }
}
