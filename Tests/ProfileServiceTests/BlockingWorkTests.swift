import Dispatch
import Foundation
@testable import ProfileService
import RPC
import Synchronization
import Testing

@Suite struct BlockingWorkTests {
  /// Jobs that ran, counted from the blocking queues.
  final class Runs: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
  }

  /// Suspends until `condition` holds (at most 60 s: a loaded run stalls tasks for seconds).
  static func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
      try #require(ContinuousClock.now < deadline, "the condition did not hold within 60 s")
      try await Task.sleep(for: .milliseconds(2))
    }
  }

  @Test func jobsPastTheBacklogAreRefusedAtOnce() async throws {
    let work = BlockingWork(width: 1, maxPending: 2)
    let release = DispatchSemaphore(value: 0)
    let runs = Runs()
    async let first: Void = work.run {
      runs.add()
      release.wait()
    }
    async let second: Void = work.run { runs.add() }
    try await Self.waitUntil { work.pendingCount == 2 }

    // The third either is refused at once or (wrongly) waits behind the first: the semaphore is
    // released only once it did one or the other, so a failure fails instead of hanging.
    let answered = Runs()
    let third = Task {
      defer { answered.add() }
      try await work.run { runs.add() }
    }
    try await Self.waitUntil { answered.value == 1 || work.pendingCount == 3 }
    #expect(work.pendingCount == 2)
    release.signal()
    let refused = await #expect(throws: RPCError.self) { try await third.value }
    #expect(refused?.code == .resourceExhausted)
    #expect(refused?.details.retryAfterMilliseconds == 1000)
    try await first
    try await second
    #expect(runs.value == 2)
    #expect(work.pendingCount == 0)
    #expect(try await work.run { 7 } == 7)
  }

  @Test func aJobWhoseTaskIsCancelledBeforeItStartsDoesNotRun() async throws {
    let work = BlockingWork(width: 1, maxPending: 8)
    let release = DispatchSemaphore(value: 0)
    let runs = Runs()
    async let blocker: Void = work.run { release.wait() }
    try await Self.waitUntil { work.pendingCount == 1 }
    let waiting = Task { try await work.run { runs.add() } }
    try await Self.waitUntil { work.pendingCount == 2 }

    waiting.cancel()
    release.signal()
    try await blocker
    await #expect(throws: CancellationError.self) { try await waiting.value }
    #expect(runs.value == 0)
    #expect(work.pendingCount == 0)
  }
}
