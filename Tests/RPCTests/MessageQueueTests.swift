@testable import RPC
import Synchronization
import Testing

/// `MessageQueue` on its own: order, capacity, endings, cancellation and a dropped consumer.
/// The client and server tests cover it behind real streaming calls
/// (`abandoningAServerStreamCancelsIt`, the limits on unread requests, and others).
@Suite struct MessageQueueTests {
  struct Failure: Error, Equatable {
    let name: String
  }

  /// Counts the termination handler's runs.
  final class Terminations: Sendable {
    let count = Atomic<Int>(0)
    func handler() -> @Sendable () -> Void { { self.count.add(1, ordering: .relaxed) } }
    var value: Int { count.load(ordering: .relaxed) }
  }

  @Test func responsesComeOutInOrderThenTheEndStays() async throws {
    let queue = MessageQueue()
    // More than the 64 taken before the queue drops its consumed prefix.
    for index in 0..<200 { queue.yield([UInt8(index)]) }
    var taken: [UInt8] = []
    for _ in 0..<150 { taken += try #require(try await queue.next()) }
    for index in 200..<256 { queue.yield([UInt8(index)]) }
    queue.finish()
    queue.yield([0])
    while let bytes = try await queue.next() { taken += bytes }
    #expect(taken == (0...255).map(UInt8.init))
    #expect(try await queue.next() == nil)
  }

  @Test func aFullQueueDropsTheNewestAndAnEndedOneDropsEverything() async throws {
    let queue = MessageQueue(capacity: 2)
    #expect(queue.yield([1]) == .enqueued)
    #expect(queue.yield([2]) == .enqueued)
    #expect(queue.yield([3]) == .dropped)
    #expect(try await queue.next() == [1])
    #expect(queue.yield([4]) == .enqueued)
    queue.finish()
    #expect(queue.yield([5]) == .ended)
    #expect(try await queue.next() == [2])
    #expect(try await queue.next() == [4])
    #expect(try await queue.next() == nil)
  }

  @Test func aFailureIsThrownOnceAfterTheResponsesThenNil() async throws {
    let queue = MessageQueue()
    queue.yield([1])
    queue.finish(throwing: Failure(name: "first"))
    queue.finish(throwing: Failure(name: "second"))
    queue.finish()
    #expect(try await queue.next() == [1])
    await #expect(throws: Failure(name: "first")) { try await queue.next() }
    #expect(try await queue.next() == nil)
  }

  @Test func aWaitingConsumerGetsWhatArrivesAndTheEnd() async throws {
    let queue = MessageQueue()
    let consumer = Task { () -> [[UInt8]] in
      var taken: [[UInt8]] = []
      while let bytes = try await queue.next() { taken.append(bytes) }
      return taken
    }
    for index: UInt8 in 1...3 {
      try await Task.sleep(for: .milliseconds(5))
      queue.yield([index])
    }
    queue.finish()
    #expect(try await consumer.value == [[1], [2], [3]])
  }

  @Test func aWaitingConsumerIsResumedByAFailure() async throws {
    let queue = MessageQueue()
    let consumer = Task { try await queue.next() }
    try await Task.sleep(for: .milliseconds(5))
    queue.finish(throwing: Failure(name: "gone"))
    await #expect(throws: Failure(name: "gone")) { try await consumer.value }
  }

  @Test func cancellingTheConsumerEndsItWithNilAndRunsTheHandlerOnce() async throws {
    let queue = MessageQueue()
    let terminations = Terminations()
    queue.setOnTermination(terminations.handler())
    queue.yield([9])
    let started = Atomic<Bool>(false)
    let consumer = Task { () -> [[UInt8]?] in
      let first = try await queue.next()
      started.store(true, ordering: .relaxed)
      return [first, try await queue.next()]
    }
    while !started.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(1)) }
    consumer.cancel()
    #expect(try await consumer.value == [[9], nil])
    #expect(terminations.value == 1)
    // Later responses and ends change nothing.
    queue.yield([1])
    queue.finish(throwing: Failure(name: "late"))
    queue.terminate()
    #expect(try await queue.next() == nil)
    #expect(terminations.value == 1)
  }

  @Test func droppingTheConsumerTerminatesTheQueue() async throws {
    let queue = MessageQueue()
    let terminations = Terminations()
    queue.setOnTermination(terminations.handler())
    queue.yield([1])
    do {
      let consumer = MessageQueue.Consumer(queue)
      #expect(try await consumer.queue.next() == [1])
    }
    #expect(terminations.value == 1)
    queue.yield([2])
    #expect(try await queue.next() == nil)
  }

  @Test func theHandlerRunsOnlyWhenTheConsumerStopsFirst() {
    // Set after the consumer stopped: it runs at once.
    let stopped = MessageQueue()
    stopped.terminate()
    let late = Terminations()
    stopped.setOnTermination(late.handler())
    #expect(late.value == 1)

    // A queue the producer ended: neither a later stop nor a late handler runs it.
    let ended = MessageQueue()
    let before = Terminations()
    ended.setOnTermination(before.handler())
    ended.finish()
    ended.terminate()
    let after = Terminations()
    ended.setOnTermination(after.handler())
    #expect(before.value == 0)
    #expect(after.value == 0)
  }
}
