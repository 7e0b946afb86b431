internal import Synchronization

/// Counts worker threads down to zero and resumes whoever waits for that.
final class CompletionLatch: Sendable {
  private enum State {
    case running(remaining: Int, waiters: [CheckedContinuation<Void, Never>])
    case finished
  }

  private let state: Mutex<State>

  init(count: Int) {
    state = Mutex(count > 0 ? .running(remaining: count, waiters: []) : .finished)
  }

  /// Called once by each worker when it has stopped.
  func arrive() {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard case .running(let remaining, let waiters) = state else { return [] }
      if remaining > 1 {
        state = .running(remaining: remaining - 1, waiters: waiters)
        return []
      }
      state = .finished
      return waiters
    }
    for waiter in waiters {
      waiter.resume()
    }
  }

  /// Returns once every worker has arrived.
  func wait() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let finished = state.withLock { state -> Bool in
        guard case .running(let remaining, var waiters) = state else { return true }
        waiters.append(continuation)
        state = .running(remaining: remaining, waiters: waiters)
        return false
      }
      if finished {
        continuation.resume()
      }
    }
  }
}
