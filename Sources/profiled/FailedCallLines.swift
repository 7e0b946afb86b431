import Synchronization

/// Keeps the error lines of failed calls to a rate an operator can read.
///
/// A call that fails with an unexpected error gets an error line with its cause. When the
/// store fails for good (a failed WAL sync), every later write fails the same way, thousands of
/// times a second under load; one line each would bury the line that says why and fill the
/// disk the log goes to. So at most ``burst`` such lines are written per ``window``. The lines
/// past it are counted, and the count is written before the next line that may be written, or
/// at shutdown (``takeHeldBack()``), so no failure goes unreported.
final class FailedCallLines: Sendable {
  /// What to do with one failed call's line.
  enum Decision: Equatable {
    /// Write it, after a line for the `heldBack` lines not written before it (when above 0).
    case write(heldBack: Int)
    /// Drop it; it is counted.
    case holdBack
  }

  private struct State {
    var windowStart: ContinuousClock.Instant?
    var written = 0
    var heldBack = 0
  }

  let burst: Int
  let window: Duration
  private let state = Mutex(State())

  /// - Parameters:
  ///   - burst: lines written per window, at least 1.
  ///   - window: how long a window lasts, above zero.
  init(burst: Int = 10, window: Duration = .seconds(10)) {
    precondition(burst >= 1 && window > .zero, "a failed-call line limit needs a burst and a window")
    self.burst = burst
    self.window = window
  }

  /// Decides about the line of a call that failed at `now`.
  func admit(at now: ContinuousClock.Instant) -> Decision {
    state.withLock { state in
      if let start = state.windowStart, now - start < window {
        guard state.written < burst else {
          state.heldBack += 1
          return .holdBack
        }
      } else {
        state.windowStart = now
        state.written = 0
      }
      state.written += 1
      defer { state.heldBack = 0 }
      return .write(heldBack: state.heldBack)
    }
  }

  /// The lines held back and not yet reported; they count as reported from now on.
  func takeHeldBack() -> Int {
    state.withLock { state in
      defer { state.heldBack = 0 }
      return state.heldBack
    }
  }
}
