internal import Dispatch
internal import Synchronization

/// A queue of jobs that dedicated worker threads take from, blocking while it is empty.
///
/// Workers are real threads (SQLite calls and fsync block), so they sleep on a semaphore rather
/// than suspend. Closing lets the workers drain what was queued, then ``next(upTo:)`` returns nil.
final class JobQueue<Job: Sendable>: Sendable {
  private enum Phase {
    /// Jobs are accepted.
    case accepting
    /// No new jobs; workers finish the queued ones, then stop.
    case draining
  }

  private struct State {
    var phase = Phase.accepting
    /// Queued jobs start at `head`; the slots before it are already taken.
    var jobs: [Job] = []
    var head = 0
    /// Workers blocked on `wakeUp`, each owed one signal.
    var sleepingWorkers = 0
  }

  private let state = Mutex(State())
  private let wakeUp = DispatchSemaphore(value: 0)

  /// Queues a job; returns false, and drops the job, once the queue is closed.
  func enqueue(_ job: Job) -> Bool {
    let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
      guard case .accepting = state.phase else { return (false, false) }
      state.jobs.append(job)
      guard state.sleepingWorkers > 0 else { return (true, false) }
      state.sleepingWorkers -= 1
      return (true, true)
    }
    if wake {
      wakeUp.signal()
    }
    return accepted
  }

  /// Takes up to `limit` queued jobs, in order, blocking while there are none; returns nil once
  /// the queue is closed and empty.
  func next(upTo limit: Int) -> [Job]? {
    while true {
      let taken = state.withLock { state -> [Job]?? in
        let available = state.jobs.count - state.head
        if available > 0 {
          let end = state.head + min(available, limit)
          let jobs = Array(state.jobs[state.head..<end])
          state.head = end
          if state.head == state.jobs.count {
            state.jobs.removeAll(keepingCapacity: true)
            state.head = 0
          }
          return .some(jobs)
        }
        if case .draining = state.phase {
          return .some(nil)
        }
        state.sleepingWorkers += 1
        return .none
      }
      if let taken {
        return taken
      }
      wakeUp.wait()
    }
  }

  /// The number of jobs waiting for a worker.
  var count: Int {
    state.withLock { $0.jobs.count - $0.head }
  }

  /// Stops accepting jobs and wakes every sleeping worker so it can drain and stop.
  func close() {
    let sleepers = state.withLock { state in
      state.phase = .draining
      defer { state.sleepingWorkers = 0 }
      return state.sleepingWorkers
    }
    for _ in 0..<sleepers {
      wakeUp.signal()
    }
  }
}
