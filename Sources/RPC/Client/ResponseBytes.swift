import Synchronization

/// The encoded responses of a streaming call as they arrive. Reading one gives its bytes back
/// to the call's ``StreamBudget``.
package struct ResponseBytes: AsyncSequence, Sendable {
  package typealias Element = [UInt8]
  private let consumer: MessageQueue.Consumer
  /// What the call's unread responses may hold.
  package let budget: StreamBudget

  init(queue: MessageQueue, budget: StreamBudget) {
    self.consumer = MessageQueue.Consumer(queue)
    self.budget = budget
  }

  /// A sequence that throws `failure` at once.
  init(failure: any Error) {
    let queue = MessageQueue()
    queue.finish(throwing: failure)
    self.init(queue: queue, budget: StreamBudget(limit: 0))
  }

  package struct AsyncIterator: AsyncIteratorProtocol {
    let consumer: MessageQueue.Consumer
    let budget: StreamBudget

    package mutating func next() async throws -> [UInt8]? {
      guard let bytes = try await consumer.queue.next() else { return nil }
      budget.release(bytes.count)
      return bytes
    }
  }

  package func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(consumer: consumer, budget: budget)
  }
}

/// The bytes of a streaming call's responses that arrived and were not read yet, against a
/// limit: a reader slower than the server must not make the client buffer without bound.
package final class StreamBudget: Sendable {
  package let limit: Int
  private let waiting = Atomic<Int>(0)
  private let exceededFlag = Atomic<Bool>(false)

  package init(limit: Int) {
    self.limit = limit
  }

  /// Counts `count` more bytes waiting; false (and ``exceeded`` from then on) when that passes
  /// the limit.
  func admit(_ count: Int) -> Bool {
    let (_, now) = waiting.add(count, ordering: .relaxed)
    guard now <= limit else {
      exceededFlag.store(true, ordering: .relaxed)
      return false
    }
    return true
  }

  func release(_ count: Int) {
    waiting.subtract(count, ordering: .relaxed)
  }

  /// Whether responses ever passed the limit (the call was then cancelled).
  package var exceeded: Bool { exceededFlag.load(ordering: .relaxed) }
}
