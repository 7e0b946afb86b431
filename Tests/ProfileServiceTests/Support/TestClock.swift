import Foundation
import Synchronization

/// A wall clock that only moves when a test moves it, for windows, expiries and time steps
/// that must not depend on how fast a loaded machine runs.
final class TestClock: Sendable {
  private let current: Mutex<Date>

  init(_ start: Date = Date()) {
    current = Mutex(start)
  }

  var now: Date { current.withLock { $0 } }

  /// The clock as `ServiceConfiguration.now` takes it.
  var reading: @Sendable () -> Date { { [self] in now } }

  func advance(by interval: TimeInterval) {
    current.withLock { $0 = $0.addingTimeInterval(interval) }
  }
}
