internal import Foundation
import Synchronization
internal import WireFormat

/// One client connection: allocates call ids, sends call frames and routes what comes back to
/// the waiting calls.
///
/// Purpose: the engine behind ``RPCClient``. Unary calls wait on a continuation; streaming calls
/// feed a ``MessageQueue``. Every call ends exactly once, through ``complete(callID:with:)``:
/// its trailer, its local deadline, its task's cancellation, or the connection closing. A
/// connection that is draining (the server sent GOAWAY, or its call ids ran out) closes itself
/// once its last call has ended.
package final class ClientConnection: ChannelDelegate, @unchecked Sendable {
  // @unchecked: mutable state lives in `state` (a Mutex); the rest is immutable.

  package enum Phase: Sendable {
    case ready
    /// The server sent GOAWAY, or the connection used ``ClientConnection/lastCallID``: calls up
    /// to `lastCallID` go on, new calls need a new connection.
    case draining(lastCallID: UInt32)
    case closed
  }

  private enum Sink {
    /// Unsafe rather than checked (which allocates a canary per call): the continuation is
    /// resumed only by ``complete(callID:with:)`` after it removed the call from the table under
    /// the lock, or by `unary` when the call never entered the table, so exactly once.
    case unary(UnsafeContinuation<[UInt8], any Error>, response: [UInt8]?)
    case stream(MessageQueue, StreamBudget)
  }

  /// A class, not a struct: a struct's fields changed in place through the table
  /// (`calls[id]?.sink = ...`) go through Dictionary's `_modify` coroutine, which cost six
  /// `malloc`s per unary call, a third of the client's.
  private final class Call: @unchecked Sendable {
    // @unchecked: the fields change only inside `state.withLock`, or after the call was
    // removed from the table by the one thread that ends it.
    var sink: Sink
    var timer: TimerHeap.ID?

    init(sink: Sink, timer: TimerHeap.ID? = nil) {
      self.sink = sink
      self.timer = timer
    }
  }

  private struct State {
    var phase = Phase.ready
    var nextCallID: UInt32
    var calls: [UInt32: Call] = [:]
    var pings: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var serverMaxFrameSize = Frame.defaultMaxPayloadSize
  }

  package let channel: Channel
  private let state: Mutex<State>
  private let encoder = BinaryEncoder()
  private let decoder = BinaryDecoder()
  /// How long after a call's deadline the client gives up on hearing the server's answer.
  private static let localDeadlineSlack: Duration = .milliseconds(100)

  /// The largest call id: the wire's largest 32-bit number.
  package static let lastCallID = UInt32.max

  /// Connects, sends HELLO and starts reading on `loop`. Call ids start at `firstCallID`
  /// (1...``lastCallID``; tests start near the end to see the connection run out).
  /// The bytes of unread responses one streaming call may hold; past them the call is
  /// cancelled and its stream throws `RESOURCE_EXHAUSTED`.
  package let maxUnreadResponseBytes: Int

  package init(
    socketPath: String, loop: EventLoop, maxFrameSize: Int, firstCallID: UInt32 = 1,
    maxUnreadResponseBytes: Int = ClientConfiguration.defaultMaxUnreadResponseBytes
  ) throws {
    precondition(firstCallID > 0, "call id 0 is for connection-level frames")
    self.maxUnreadResponseBytes = maxUnreadResponseBytes
    state = Mutex(State(nextCallID: firstCallID))
    let fd = try UnixSocket.connect(path: socketPath)
    channel = Channel(fd: fd, loop: loop, maxFrameSize: maxFrameSize)
    let hello = Hello(maxFrameSize: UInt32(maxFrameSize))
    try channel.send { buffer in
      try Frame.append(to: &buffer, type: .hello, callID: 0) {
        try encoder.encode(hello, appendingTo: &$0)
      }
    }
    if loop.inEventLoop {
      try channel.activate(delegate: self)
      return
    }
    let activation = Mutex<Result<Void, any Error>?>(nil)
    loop.execute { [self] in
      activation.withLock {
        $0 = Result { try self.channel.activate(delegate: self) }
      }
    }
    while true {
      if let result = activation.withLock({ $0 }) {
        try result.get()
        break
      }
      sched_yield()
    }
  }

  /// True while new calls may start on this connection.
  package var acceptsCalls: Bool {
    state.withLock { state in
      if case .ready = state.phase { return true }
      return false
    }
  }

  // MARK: - Calls

  /// Sends a unary call whose request `writeRequest` encodes straight into the outbound buffer,
  /// and waits for its single response.
  package func unary(
    method: String, options: CallOptions, writeRequest: (inout [UInt8]) throws -> Void
  ) async throws -> [UInt8] {
    let timeout = Self.effectiveTimeout(options)
    let callID = Mutex<(id: UInt32, cancelled: Bool)>((0, false))
    return try await withTaskCancellationHandler {
      try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[UInt8], any Error>) in
        do {
          let id = try register(
            Call(sink: .unary(continuation, response: nil), timer: nil), method: method,
            metadata: options.metadata, timeout: timeout, hasFirstMessage: true,
            firstMessage: writeRequest, endStream: true)
          let cancelled = callID.withLock { slot -> Bool in
            slot.id = id
            return slot.cancelled
          }
          if cancelled { cancel(callID: id) }
        } catch {
          continuation.resume(throwing: error)
        }
      }
    } onCancel: {
      let id = callID.withLock { slot -> UInt32 in
        slot.cancelled = true
        return slot.id
      }
      if id != 0 { cancel(callID: id) }
    }
  }

  /// Starts a streaming call; its responses arrive on the returned stream, which ends with the
  /// trailer (throwing its error unless OK). `request`, when given, is sent with end of stream.
  package func startStream(
    method: String, options: CallOptions, request: [UInt8]?
  ) -> (callID: UInt32, responses: ResponseBytes) {
    let queue = MessageQueue()
    let budget = StreamBudget(limit: maxUnreadResponseBytes)
    do {
      let id = try register(
        Call(sink: .stream(queue, budget), timer: nil), method: method, metadata: options.metadata,
        timeout: Self.effectiveTimeout(options),
        firstMessage: request.map { bytes in { $0.append(contentsOf: bytes) } }, endStream: request != nil)
      queue.setOnTermination { [weak self] in self?.cancel(callID: id) }
      return (id, ResponseBytes(queue: queue, budget: budget))
    } catch {
      queue.finish(throwing: error)
      return (0, ResponseBytes(queue: queue, budget: budget))
    }
  }

  /// Sends one more request message on a streaming call.
  package func sendMessage(callID: UInt32, _ payload: [UInt8]) async throws {
    try await channel.waitForRoom()
    let maxFrameSize = state.withLock { $0.serverMaxFrameSize }
    let arrange = try state.withLock { state -> Bool in
      guard state.calls[callID] != nil else { throw RPCError(.cancelled, "the call has ended") }
      return try channel.enqueue { buffer in
        try Frame.append(to: &buffer, type: .message, callID: callID, maxPayloadSize: maxFrameSize) {
          $0.append(contentsOf: payload)
        }
      }
    }
    if arrange { channel.arrangeFlush() }
  }

  /// Tells the server this call sends no more messages.
  package func halfClose(callID: UInt32) throws {
    let arrange = try state.withLock { state -> Bool in
      guard state.calls[callID] != nil else { return false }
      return try channel.enqueue { buffer in
        Frame.appendHeader(to: &buffer, type: .halfClose, flags: 0, callID: callID, payloadLength: 0)
      }
    }
    if arrange { channel.arrangeFlush() }
  }

  /// Abandons a call: CANCEL to the server, `CANCELLED` to the caller.
  package func cancel(callID: UInt32, reason: RPCError = RPCError(.cancelled, "the call was cancelled")) {
    let wasActive = complete(callID: callID, with: .failure(reason))
    if wasActive {
      try? channel.send { buffer in
        Frame.appendHeader(to: &buffer, type: .cancel, flags: 0, callID: callID, payloadLength: 0)
      }
    }
  }

  /// Sends PING and waits for PONG.
  package func ping() async throws {
    let token = UInt64.random(in: 1...UInt64.max)
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      do {
        try state.withLock { state in
          if case .closed = state.phase { throw RPCError(.unavailable, "the connection is closed") }
          state.pings[token] = continuation
        }
        try channel.send { buffer in
          try Frame.append(to: &buffer, type: .ping, callID: 0) { payload in
            withUnsafeBytes(of: token.bigEndian) { payload.append(contentsOf: $0) }
          }
        }
      } catch {
        let waiting = state.withLock { $0.pings.removeValue(forKey: token) }
        if waiting != nil { continuation.resume(throwing: error) }
      }
    }
  }

  private func register(
    _ call: Call, method: String, metadata: Metadata, timeout: Duration?,
    firstMessage: ((inout [UInt8]) throws -> Void)?, endStream: Bool
  ) throws -> UInt32 {
    if let firstMessage {
      return try register(
        call, method: method, metadata: metadata, timeout: timeout, hasFirstMessage: true,
        firstMessage: firstMessage, endStream: endStream)
    }
    return try register(
      call, method: method, metadata: metadata, timeout: timeout, hasFirstMessage: false,
      firstMessage: { _ in }, endStream: endStream)
  }

  /// Registers a call and appends its CALL_START (and, when `hasFirstMessage`, its first
  /// MESSAGE, built in place by `firstMessage`) to the outbound buffer. A non-escaping closure,
  /// so a unary call allocates no context for its request encoder.
  private func register(
    _ call: Call, method: String, metadata: Metadata, timeout: Duration?, hasFirstMessage: Bool,
    firstMessage: (inout [UInt8]) throws -> Void, endStream: Bool
  ) throws -> UInt32 {
    let start = CallStart(
      method: method, metadata: metadata,
      timeoutMicroseconds: timeout.map { Self.microseconds($0) })
    let (id, arrange) = try state.withLock { state -> (UInt32, Bool) in
      guard case .ready = state.phase else {
        throw RPCError(.unavailable, "the connection is not accepting new calls")
      }
      let id = state.nextCallID
      let maxFrameSize = state.serverMaxFrameSize
      let arrange = try channel.enqueue { buffer in
        let startOfCall = buffer.count
        try Frame.append(to: &buffer, type: .callStart, callID: id, maxPayloadSize: maxFrameSize) {
          start.encode(appendingTo: &$0)
        }
        if hasFirstMessage {
          do {
            try Frame.append(
              to: &buffer, type: .message, flags: endStream ? FrameFlags.endStream : 0, callID: id,
              maxPayloadSize: maxFrameSize, payload: firstMessage)
          } catch {
            buffer.removeSubrange(startOfCall...)
            throw error
          }
        }
      }
      if id == Self.lastCallID {
        state.phase = .draining(lastCallID: id)
      } else {
        state.nextCallID = id + 1
      }
      state.calls.updateValue(call, forKey: id)
      return (id, arrange)
    }
    if let timeout {
      // The server enforces the deadline and answers DEADLINE_EXCEEDED; the local timer, a little
      // later, covers a server that stopped answering.
      let timer = channel.loop.schedule(at: .now + timeout + ClientConnection.localDeadlineSlack) {
        [weak self] in
        guard let self else { return }
        if self.complete(
          callID: id,
          with: .failure(RPCError(.deadlineExceeded, "the call did not finish within \(timeout)")))
        {
          try? self.channel.send { buffer in
            Frame.appendHeader(to: &buffer, type: .cancel, flags: 0, callID: id, payloadLength: 0)
          }
        }
      }
      state.withLock { _ in call.timer = timer }
    }
    if arrange { channel.arrangeFlush() }
    return id
  }

  /// Ends a call once with `result`; returns false when it had already ended. The last call of
  /// a draining connection closes it, after its caller has the result.
  @discardableResult
  private func complete(callID: UInt32, with result: Result<[UInt8]?, any Error>) -> Bool {
    let (ended, drained) = state.withLock { state -> (Call?, Bool) in
      guard let call = state.calls.removeValue(forKey: callID) else { return (nil, false) }
      guard case .draining = state.phase else { return (call, false) }
      return (call, state.calls.isEmpty)
    }
    guard let call = ended else { return false }
    defer { if drained { channel.closeFromAnyThread(error: nil) } }
    if let timer = call.timer { channel.loop.cancelTimer(timer) }
    switch (call.sink, result) {
    case (.unary(let continuation, let response), .success(let final)):
      if let payload = final ?? response {
        continuation.resume(returning: payload)
      } else {
        continuation.resume(
          throwing: RPCError(.internal, "the server ended the call without a response message"))
      }
    case (.unary(let continuation, _), .failure(let error)):
      continuation.resume(throwing: error)
    case (.stream(let queue, _), .success):
      queue.finish()
    case (.stream(let queue, _), .failure(let error)):
      queue.finish(throwing: error)
    }
    return true
  }

  /// A call's timeout: its own, or what remains of the handler's deadline it is made from,
  /// whichever is shorter.
  private static func effectiveTimeout(_ options: CallOptions) -> Duration? {
    let inherited = ServerContext.current?.remaining
    switch (options.timeout, inherited) {
    case (let own?, let inherited?): return min(own, inherited)
    case (let own?, nil): return own
    case (nil, let inherited?): return inherited
    case (nil, nil): return nil
    }
  }

  /// `duration` in whole microseconds for the wire: at least 0, and `Int64.max` for a duration
  /// too long to count in them (about 292,000 years) instead of a trap.
  package static func microseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
    if overflow { return seconds < 0 ? 0 : Int64.max }
    let (total, carried) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000)
    if carried { return seconds < 0 ? 0 : Int64.max }
    return max(0, total)
  }

  // MARK: - Frames in (loop thread)

  package func channel(_ channel: Channel, didReceive frame: Frame) {
    switch frame.type {
    case .hello:
      if let hello = try? decoder.decode(Hello.self, from: frame.payload),
        let limit = hello.maxFrameSize
      {
        state.withLock { $0.serverMaxFrameSize = Int(limit) }
      }
    case .message:
      enum Overflow { case none, secondUnaryResponse, unreadResponses(limit: Int) }
      let overflow = state.withLock { state -> Overflow in
        guard let call = state.calls[frame.callID] else { return .none }
        switch call.sink {
        case .unary(let continuation, let response):
          if response != nil { return .secondUnaryResponse }
          call.sink = .unary(continuation, response: frame.payload)
        case .stream(let queue, let budget):
          guard budget.admit(frame.payload.count) else { return .unreadResponses(limit: budget.limit) }
          queue.yield(frame.payload)
        }
        return .none
      }
      switch overflow {
      case .none: break
      case .secondUnaryResponse: cancel(callID: frame.callID)
      case .unreadResponses(let limit):
        cancel(
          callID: frame.callID,
          reason: RPCError(
            .resourceExhausted,
            "more than \(limit) bytes of responses arrived unread; the call was cancelled (read the stream faster)"))
      }
    case .trailer:
      let result: Result<[UInt8]?, any Error>
      if frame.payload == Trailer.okPayload {
        result = .success(nil)
      } else if let trailer = try? decoder.decode(Trailer.self, from: frame.payload) {
        result = trailer.code == .ok ? .success(nil) : .failure(trailer.error)
      } else {
        result = .failure(RPCError(.internal, "the server sent a malformed trailer"))
      }
      complete(callID: frame.callID, with: result)
    case .goAway:
      let goAway = try? decoder.decode(GoAway.self, from: frame.payload)
      let lastCallID = goAway?.lastCallID ?? 0
      let orphans = state.withLock { state -> [UInt32] in
        state.phase = .draining(lastCallID: lastCallID)
        return state.calls.keys.filter { $0 > lastCallID }
      }
      let reason = goAway.map { $0.code == .ok ? RPCError(.unavailable, $0.message) : RPCError($0.code, $0.message) }
        ?? RPCError(.unavailable, "the server sent a malformed GOAWAY")
      for id in orphans { complete(callID: id, with: .failure(reason)) }
      if let goAway, goAway.code != .ok {
        for id in state.withLock({ Array($0.calls.keys) }) { complete(callID: id, with: .failure(reason)) }
      }
    case .ping:
      try? channel.send { buffer in
        try Frame.append(to: &buffer, type: .pong, callID: 0) { $0.append(contentsOf: frame.payload) }
      }
    case .pong:
      guard frame.payload.count == 8 else { return }
      let token = frame.payload.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      state.withLock { $0.pings.removeValue(forKey: token) }?.resume()
    case .callStart, .halfClose, .cancel:
      channel.close(error: RPCError(.internal, "the server sent a frame only clients send"))
    }
  }

  package func channel(_ channel: Channel, didFailFraming failure: FrameDecoder.Failure) {
    channel.close(error: RPCError(failure.code, failure.message))
  }

  package func channelDidClose(_ channel: Channel, error: (any Error)?) {
    let (calls, pings) = state.withLock { state in
      state.phase = .closed
      let taken = (Array(state.calls.keys), Array(state.pings.values))
      state.pings.removeAll()
      return taken
    }
    let reason = (error as? RPCError) ?? RPCError(.unavailable, "the connection to the server closed")
    for id in calls { complete(callID: id, with: .failure(reason)) }
    for ping in pings { ping.resume(throwing: reason) }
  }

  /// Closes the socket; calls still running fail with `UNAVAILABLE`.
  package func close() {
    channel.closeFromAnyThread(error: nil)
  }
}
