internal import CLinux
internal import Foundation
internal import Glibc
import Synchronization

/// Something registered with an event loop for readiness events on one file descriptor.
package protocol EventHandler: AnyObject, Sendable {
  /// Called on the loop thread with the epoll event bits.
  func handleEvent(_ events: UInt32)
}

/// One thread running epoll: readiness callbacks, closures and Swift tasks, and timers.
///
/// Purpose: no thread per connection. Each loop owns a set of file descriptors; their events,
/// every closure passed to ``execute(_:)`` and every job of a task whose executor preference is
/// this loop run on its one thread, in that order each iteration, and then the connections
/// marked with ``flushAtEndOfIteration(_:)`` are flushed, so responses produced in one
/// iteration leave in one write per connection.
///
/// Implementers' notes: state shared with other threads (queued work, timers) lives behind a
/// `Mutex`; the handler table is touched only on the loop thread.
package final class EventLoop: TaskExecutor, @unchecked Sendable {
  // @unchecked: `handlers`, `dirty`, the `taken...`/`flushing` buffers and `events` are used
  // only on the loop thread (every
  // public entry point that touches them asserts or hops); the rest is a Mutex or immutable.

  private struct Shared {
    var work: [@Sendable () -> Void] = []
    var jobs: [UnownedJob] = []
    var wakeupPending = false
    var stopping = false
    var timers = TimerHeap()
  }

  package let name: String
  private let epollFD: Int32
  private let wakeFD: Int32
  private let shared = Mutex(Shared())
  private let threadID = Atomic<UInt>(0)
  private let finished = DispatchSemaphore(value: 0)
  // The loop-thread fields below are not checked for exclusive access at run time (a
  // `swift_beginAccess` per iteration and per call flushed): only the loop thread touches them,
  // and every access ends before a handler, job or flush runs.
  @exclusivity(unchecked) private var handlers: [Int32: any EventHandler] = [:]
  @exclusivity(unchecked) private var dirty: [any Flushable] = []
  // Loop-thread buffers swapped with the shared queues and `dirty`, so taking a batch of work
  // allocates nothing (copying an array out and emptying the original would allocate anew).
  @exclusivity(unchecked) private var takenWork: [@Sendable () -> Void] = []
  @exclusivity(unchecked) private var takenJobs: [UnownedJob] = []
  @exclusivity(unchecked) private var flushing: [any Flushable] = []
  private static let maxEvents = 256
  /// Jobs run between flushes of the connections they wrote to. Flushing part of a large batch
  /// early lets the peer start on it while this loop runs the rest, instead of the two sides
  /// taking turns with whole batches; small batches still leave in one write.
  private static let jobsPerFlush = 16

  /// The longest ``busyPoll`` there is: past a few milliseconds a loop just burns a core.
  package static let maxBusyPoll: Duration = .milliseconds(10)
  /// ``maxBusyPoll`` in whole microseconds, the unit of the command-line flags that set it.
  package static let maxBusyPollMicroseconds = Int(maxBusyPoll / .microseconds(1))
  private let busyPollNanoseconds = Atomic<Int64>(0)
  private let pollCount = Atomic<Int>(0)

  /// How long the loop keeps polling without sleeping after it last had something to do;
  /// settable from any thread with ``setBusyPoll(_:)``.
  package var busyPoll: Duration { .nanoseconds(busyPollNanoseconds.load(ordering: .relaxed)) }

  /// Sets ``busyPoll``, clamped to zero...``maxBusyPoll``; the loop uses it from its next iteration.
  package func setBusyPoll(_ duration: Duration) {
    let clamped = min(max(duration, .zero), Self.maxBusyPoll)
    let (seconds, attoseconds) = clamped.components
    busyPollNanoseconds.store(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
  }

  /// The `epoll_wait` calls made with a zero timeout only because of ``busyPoll``, so far.
  package var busyPolls: Int { pollCount.load(ordering: .relaxed) }

  /// Timers scheduled and neither run nor cancelled.
  package var pendingTimers: Int { shared.withLock { $0.timers.count } }

  /// Starts a loop on a new thread.
  ///
  /// With a `busyPoll` above zero, the loop does not sleep in `epoll_wait` until it has found
  /// nothing to do for that long: it polls (`epoll_wait` with a zero timeout) instead, so a frame
  /// that arrives meanwhile is read without the cost of waking a sleeping thread, for up to
  /// `busyPoll` of a core's time after each burst of work (see ``setBusyPoll(_:)``).
  package init(name: String, busyPoll: Duration = .zero) throws {
    self.name = name
    let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
    guard epollFD >= 0 else { throw SystemError.last("epoll_create1") }
    let wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
    guard wakeFD >= 0 else {
      close(epollFD)
      throw SystemError.last("eventfd")
    }
    self.epollFD = epollFD
    self.wakeFD = wakeFD
    var event = epoll_event()
    event.events = EPOLLIN.rawValue
    event.data.fd = wakeFD
    guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
      close(epollFD)
      close(wakeFD)
      throw SystemError.last("epoll_ctl")
    }
    setBusyPoll(busyPoll)
    let thread = Thread { [self] in self.run() }
    thread.start()
    while threadID.load(ordering: .acquiring) == 0 { sched_yield() }
  }

  /// True on this loop's thread.
  package var inEventLoop: Bool {
    UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))) == threadID.load(ordering: .relaxed)
  }

  // MARK: - Running work

  /// Runs `work` on the loop thread, after the current iteration's events.
  package func execute(_ work: @escaping @Sendable () -> Void) {
    let wake = shared.withLock { state -> Bool in
      state.work.append(work)
      return takeWakeup(&state)
    }
    if wake { signal() }
  }

  package func enqueue(_ job: consuming ExecutorJob) {
    let unowned = UnownedJob(job)
    let wake = shared.withLock { state -> Bool in
      state.jobs.append(unowned)
      return takeWakeup(&state)
    }
    if wake { signal() }
  }

  /// Runs `action` on the loop thread at `deadline` unless cancelled first. Callable from any
  /// thread; the loop is woken only when the new timer is the earliest.
  @discardableResult
  package func schedule(
    at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void
  ) -> TimerHeap.ID {
    let (id, wake) = shared.withLock { state -> (TimerHeap.ID, Bool) in
      let earliest = state.timers.earliest
      let id = state.timers.insert(deadline: deadline, action: action)
      let needsWake = earliest.map { deadline < $0 } ?? true
      return (id, needsWake && !inEventLoop ? takeWakeup(&state) : false)
    }
    if wake { signal() }
    return id
  }

  /// Cancels a timer; harmless when it already fired.
  package func cancelTimer(_ id: TimerHeap.ID) {
    shared.withLock { $0.timers.cancel(id) }
  }

  private func takeWakeup(_ state: inout Shared) -> Bool {
    if state.wakeupPending || inEventLoop { return false }
    state.wakeupPending = true
    return true
  }

  private func signal() {
    var one: UInt64 = 1
    _ = write(wakeFD, &one, 8)
  }

  // MARK: - File descriptors (loop thread only)

  /// Registers `handler` for `events` on `fd`. Loop thread only.
  package func register(fd: Int32, events: UInt32, handler: any EventHandler) throws {
    precondition(inEventLoop, "register must run on the loop thread")
    var event = epoll_event()
    event.events = events
    event.data.fd = fd
    guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
      throw SystemError.last("epoll_ctl(ADD)")
    }
    handlers[fd] = handler
  }

  /// Changes the events `fd` is watched for. Any thread (epoll_ctl is thread-safe).
  package func modify(fd: Int32, events: UInt32) {
    var event = epoll_event()
    event.events = events
    event.data.fd = fd
    _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
  }

  /// Stops watching `fd` (does not close it). Loop thread only.
  package func deregister(fd: Int32) {
    precondition(inEventLoop, "deregister must run on the loop thread")
    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    handlers[fd] = nil
  }

  /// Asks the loop to flush `connection` at the end of this iteration. Loop thread only.
  package func flushAtEndOfIteration(_ connection: any Flushable) {
    dirty.append(connection)
  }

  // MARK: - Lifetime

  /// Stops the loop after the work already queued and waits for its thread to end. Registered
  /// handlers are dropped, not closed: their owners close their descriptors first.
  package func shutdown() {
    precondition(!inEventLoop, "a loop cannot wait for itself")
    let wake = shared.withLock { state -> Bool in
      state.stopping = true
      return takeWakeup(&state)
    }
    if wake { signal() }
    finished.wait()
  }

  private func run() {
    _ = clinux_name_this_thread(name)
    threadID.store(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), ordering: .releasing)
    var events = [epoll_event](repeating: epoll_event(), count: EventLoop.maxEvents)
    var running = true
    var lastBusy = ContinuousClock.now
    while running {
      let window = busyPollNanoseconds.load(ordering: .relaxed)
      var timeout = shared.withLock { state -> Int32 in
        if !state.work.isEmpty || !state.jobs.isEmpty || state.stopping { return 0 }
        guard let earliest = state.timers.earliest else { return -1 }
        let remaining = earliest - .now
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        // A timer years away (a caller's "no practical deadline") waits the longest epoll can.
        guard seconds < Int64(Int32.max / 1000) else { return Int32.max }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: milliseconds)
      }
      let hadWork = timeout == 0
      if window > 0 && !hadWork && ContinuousClock.now - lastBusy < .nanoseconds(window) {
        timeout = 0
        pollCount.add(1, ordering: .relaxed)
      }
      let count = events.withUnsafeMutableBufferPointer {
        epoll_wait(epollFD, $0.baseAddress, Int32(EventLoop.maxEvents), timeout)
      }
      // Loaded again: a setting made while the loop slept counts from the work that woke it.
      if (hadWork || count > 0) && busyPollNanoseconds.load(ordering: .relaxed) > 0 {
        lastBusy = .now
      }
      if count > 0 {
        for index in 0..<Int(count) {
          let fd = events[index].data.fd
          if fd == wakeFD {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
            shared.withLock { $0.wakeupPending = false }
          } else if let handler = handlers[fd] {
            handler.handleEvent(events[index].events)
          }
        }
      }
      runDueTimers()
      runQueuedWork()
      flushDirty()
      running = !shared.withLock { $0.stopping && $0.work.isEmpty && $0.jobs.isEmpty }
    }
    handlers.removeAll()
    close(epollFD)
    close(wakeFD)
    finished.signal()
  }

  private func runDueTimers() {
    let now = ContinuousClock.now
    let due = shared.withLock { $0.timers.popDue(now: now) }
    for action in due { action() }
  }

  /// Runs queued closures and jobs; work they enqueue runs too, up to a bound so file
  /// descriptors are not starved.
  private func runQueuedWork() {
    for _ in 0..<16 {
      // The taken buffers are empty here; after the swap the queues get them back to fill.
      shared.withLock { state in
        swap(&state.work, &takenWork)
        swap(&state.jobs, &takenJobs)
      }
      if takenWork.isEmpty && takenJobs.isEmpty { return }
      for item in takenWork { item() }
      takenWork.removeAll(keepingCapacity: true)
      let executor = asUnownedTaskExecutor()
      var sinceFlush = 0
      for job in takenJobs {
        job.runSynchronously(on: executor)
        sinceFlush += 1
        if sinceFlush == EventLoop.jobsPerFlush {
          sinceFlush = 0
          flushDirty()
        }
      }
      takenJobs.removeAll(keepingCapacity: true)
      flushDirty()
    }
  }

  private func flushDirty() {
    while !dirty.isEmpty {
      swap(&dirty, &flushing)
      for connection in flushing { connection.flush() }
      flushing.removeAll(keepingCapacity: true)
    }
  }
}

/// Something with an outbound buffer to write to its socket.
package protocol Flushable: AnyObject, Sendable {
  func flush()
}
