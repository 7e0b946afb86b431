import Synchronization

/// The encoded messages of one streaming call, from the loop thread that reads them to the one
/// task that iterates them: a client's responses, or a server handler's requests.
///
/// What `AsyncThrowingStream<[UInt8], any Error>` did here before, with the same endings: a
/// consumer that is cancelled while it waits gets `nil`, and one that is cancelled or drops its
/// ``Consumer`` ends the queue and runs ``setOnTermination(_:)``'s handler (a client cancels its
/// call there). The standard stream's storage lives in the Concurrency library and runs
/// unspecialized: every `yield` and `next` looked up the run-time metadata of its
/// `_Deque<[UInt8]>`, which took a quarter of the client's CPU time in the benchmark's server
/// stream of small messages.
package final class MessageQueue: Sendable {
  private enum Take {
    case value([UInt8])
    case end
    case failure(any Error)
    case empty
  }

  /// What ``yield(_:)`` did with a message.
  package enum YieldResult: Equatable {
    case enqueued
    /// The queue held `capacity` messages already; this one was dropped.
    case dropped
    /// The queue had ended (finished, or its consumer stopped); this one was dropped.
    case ended
  }

  private struct State {
    /// Waiting messages from `head` on; the consumed prefix is dropped once it is half.
    var buffer: [[UInt8]] = []
    var head = 0
    /// The consumer, suspended in ``next()`` on an empty queue.
    var waiter: UnsafeContinuation<[UInt8]?, any Error>?
    /// How the producer ended it; a failure is thrown once, then `nil` as after a clean end.
    var end: Result<Void, any Error>?
    /// The consumer stopped (cancelled or gone): later messages are dropped.
    var terminated = false
    var onTermination: (@Sendable () -> Void)?

    mutating func take() -> Take {
      if head < buffer.count {
        let value = buffer[head]
        buffer[head] = []
        head += 1
        if head == buffer.count {
          buffer.removeAll(keepingCapacity: true)
          head = 0
        } else if head >= 64 && head * 2 >= buffer.count {
          buffer.removeFirst(head)
          head = 0
        }
        return .value(value)
      }
      if terminated { return .end }
      switch end {
      case .none: return .empty
      case .success: return .end
      case .failure(let error):
        end = .success(())
        return .failure(error)
      }
    }
  }

  private let state = Mutex(State())
  private let capacity: Int

  /// A queue that holds at most `capacity` unread messages (the oldest are kept).
  package init(capacity: Int = .max) {
    precondition(capacity > 0, "a queue must hold at least one message")
    self.capacity = capacity
  }

  /// Runs `handler` once when the consumer stops before the producer ended the queue: at once
  /// if the consumer has already stopped.
  package func setOnTermination(_ handler: @escaping @Sendable () -> Void) {
    let runNow = state.withLock { state -> Bool in
      guard state.end == nil else { return false }
      if state.terminated { return true }
      state.onTermination = handler
      return false
    }
    if runNow { handler() }
  }

  /// Queues `bytes`, or hands them to the waiting consumer.
  @discardableResult
  package func yield(_ bytes: [UInt8]) -> YieldResult {
    let (result, waiter) = state.withLock { state -> (YieldResult, UnsafeContinuation<[UInt8]?, any Error>?) in
      guard !state.terminated, state.end == nil else { return (.ended, nil) }
      if let waiter = state.waiter {
        state.waiter = nil
        return (.enqueued, waiter)
      }
      guard state.buffer.count - state.head < capacity else { return (.dropped, nil) }
      state.buffer.append(bytes)
      return (.enqueued, nil)
    }
    waiter?.resume(returning: bytes)
    return result
  }

  /// Ends the queue after the messages already in it: the consumer then gets `nil`, or
  /// `error` once. Only the first end counts.
  package func finish(throwing error: (any Error)? = nil) {
    let (waiter, take) = state.withLock { state -> (UnsafeContinuation<[UInt8]?, any Error>?, Take) in
      guard state.end == nil else { return (nil, .empty) }
      state.end = error.map { .failure($0) } ?? .success(())
      state.onTermination = nil
      guard let waiter = state.waiter else { return (nil, .empty) }
      state.waiter = nil
      return (waiter, state.take())
    }
    guard let waiter else { return }
    Self.resume(waiter, with: take)
  }

  /// Stops the consumer's side: messages waiting and later ones are dropped, a suspended
  /// ``next()`` returns `nil`, and the termination handler runs unless the producer had ended.
  package func terminate() {
    let (waiter, handler) = state.withLock { state -> (UnsafeContinuation<[UInt8]?, any Error>?, (@Sendable () -> Void)?) in
      guard !state.terminated else { return (nil, nil) }
      state.terminated = true
      state.buffer.removeAll()
      state.head = 0
      defer {
        state.waiter = nil
        state.onTermination = nil
      }
      return (state.waiter, state.end == nil ? state.onTermination : nil)
    }
    waiter?.resume(returning: nil)
    handler?()
  }

  /// The next message, `nil` at the end (or once the consumer was cancelled), or the error the
  /// queue was finished with. One consumer at a time.
  package func next() async throws -> [UInt8]? {
    switch state.withLock({ $0.take() }) {
    case .value(let value): return value
    case .end: return nil
    case .failure(let error): throw error
    case .empty: break
    }
    return try await withTaskCancellationHandler {
      try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[UInt8]?, any Error>) in
        let take = state.withLock { state -> Take in
          let take = state.take()
          if case .empty = take { state.waiter = continuation }
          return take
        }
        if case .empty = take { return }
        Self.resume(continuation, with: take)
      }
    } onCancel: {
      terminate()
    }
  }

  private static func resume(_ continuation: UnsafeContinuation<[UInt8]?, any Error>, with take: Take) {
    switch take {
    case .value(let value): continuation.resume(returning: value)
    case .end, .empty: continuation.resume(returning: nil)
    case .failure(let error): continuation.resume(throwing: error)
    }
  }

  /// The consumer's hold on a queue: when the last copy of the sequence and of its iterators
  /// is gone, the queue is terminated, so abandoning a client's stream cancels its call.
  package final class Consumer: Sendable {
    package let queue: MessageQueue

    package init(_ queue: MessageQueue) {
      self.queue = queue
    }

    deinit { queue.terminate() }
  }
}
