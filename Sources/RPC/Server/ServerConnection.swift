internal import Foundation
import Synchronization
internal import WireFormat

/// One accepted connection: the server's per-connection state machine.
///
/// Purpose: turns frames into calls. A call start finds the route, checks limits and starts a
/// deadline timer; the handler runs as a task whose executor is this connection's event loop,
/// started at once on the loop thread, so reading a request, running the handler and writing its
/// response usually happen in one loop iteration on one thread. A handler registered to run on
/// the loop thread (``RPCRouter/unary(_:immediately:)``) runs without a task, unless
/// interceptors or a full outbound buffer call for one. Every call ends exactly once,
/// through ``finish(callID:trailer:cancelTask:)``, whichever comes first of the handler
/// returning, the deadline, a cancel frame or the socket closing; output of a call that has
/// ended is dropped.
package final class ServerConnection: ChannelDelegate, @unchecked Sendable {
  // @unchecked: all mutable state is inside `state` (a Mutex); the rest is immutable.

  private enum Phase {
    case awaitingHello
    case ready
    /// A GOAWAY was sent: calls in flight finish, new ones are refused.
    case draining
    case closed
  }

  private enum CallPhase {
    /// Unary or server-streaming: waiting for the one request message.
    case awaitingRequest(request: [UInt8]?)
    case running(Task<Void, Never>?)
  }

  /// One call in flight. A class so the call table holds a reference instead of copying the
  /// record in and out on every frame; the storage of the call's context, so the context is
  /// not an allocation of its own.
  private final class Call: ServerContext.Storage, @unchecked Sendable {
    // @unchecked: the mutable fields are touched only inside `state.withLock`, or by the one
    // thread that removed the call from the table to end it; for the same reason they are not
    // checked for exclusive access at run time, and no access to one spans a call out.
    let route: RPCRouter.Route
    let started: ContinuousClock.Instant
    @exclusivity(unchecked) var phase: CallPhase
    @exclusivity(unchecked) var inbox: MessageQueue?
    /// Bytes of the messages in `inbox` that the handler has not read yet.
    @exclusivity(unchecked) var unreadBytes = 0
    @exclusivity(unchecked) var deadlineTimer: TimerHeap.ID?

    /// The handler's view of this call. It holds the call record (and through its phase the
    /// handler's task) for as long as the handler keeps it.
    var context: ServerContext { ServerContext(storage: self) }

    init(
      route: RPCRouter.Route, method: String, metadata: Metadata, deadline: ContinuousClock.Instant?,
      peer: PeerCredentials, requestIDSource: ServerContext.RequestIDSource,
      started: ContinuousClock.Instant, phase: CallPhase
    ) {
      self.route = route
      self.started = started
      self.phase = phase
      super.init(
        method: method, metadata: metadata, deadline: deadline, peer: peer, requestIDSource: requestIDSource)
    }
  }

  private struct State {
    var phase = Phase.awaitingHello
    var lastCallID: UInt32 = 0
    var calls: [UInt32: Call] = [:]
    /// Bytes of request messages held for calls whose half-close has not come yet, and of
    /// streamed request messages their handlers have not read yet.
    var heldRequestBytes = 0
    /// The timer that ends the connection if no HELLO comes; it holds the connection, so it is
    /// cancelled as soon as the HELLO is handled or the connection closes.
    var helloTimer: TimerHeap.ID?

    /// Forgets what `call` held, if it held a request or unread messages: it started or ended.
    mutating func release(_ call: Call) {
      if case .awaitingRequest(let request?) = call.phase { heldRequestBytes -= request.count }
      heldRequestBytes -= call.unreadBytes
      call.unreadBytes = 0
    }
  }

  package let channel: Channel
  package let peer: PeerCredentials
  private let shared: ServerShared
  private let state = Mutex(State())
  private let encoder = BinaryEncoder()
  private let decoder = BinaryDecoder()
  /// Requests a streaming call may hold unread before it is failed.
  private static let maxBufferedRequests = 256
  /// Bytes of request messages one connection may hold, in frames of the server's maximum size:
  /// those of calls that have not half-closed, and those of streaming calls that their handlers
  /// have not read yet. Without a bound, a peer could park a full frame on each of its calls
  /// and never finish them, or stream into a handler faster than it reads. Past it the call
  /// whose message would exceed it ends `RESOURCE_EXHAUSTED`.
  package static let maxHeldRequestFrames = 4

  private var maxHeldRequestBytes: Int {
    let (bytes, overflow) = shared.configuration.maxFrameSize.multipliedReportingOverflow(by: Self.maxHeldRequestFrames)
    return overflow ? Int.max : bytes
  }

  package init(channel: Channel, peer: PeerCredentials, shared: ServerShared) {
    self.channel = channel
    self.peer = peer
    self.shared = shared
  }

  package var activeCallCount: Int { state.withLock { $0.calls.count } }

  // MARK: - Frames in (loop thread)

  package func channel(_ channel: Channel, didReceive frame: Frame) {
    let phase = state.withLock { $0.phase }
    if case .closed = phase { return }
    if case .awaitingHello = phase {
      // Whatever this first frame is, the wait for HELLO ends here.
      cancelHelloTimer()
      guard frame.type == .hello else {
        fail(.internal, "expected a HELLO frame first, got \(frame.type)")
        return
      }
      receiveHello(frame)
      return
    }
    switch frame.type {
    case .hello:
      fail(.internal, "HELLO sent twice")
    case .callStart:
      startCall(frame)
    case .message:
      receiveMessage(frame)
    case .halfClose:
      receiveHalfClose(callID: frame.callID)
    case .cancel:
      finish(
        callID: frame.callID, trailer: nil, cancelTask: true,
        recordedAs: RPCError(.cancelled, "cancelled by the client"))
    case .ping:
      try? channel.send { buffer in
        try Frame.append(to: &buffer, type: .pong, callID: 0) { $0.append(contentsOf: frame.payload) }
      }
    case .pong, .goAway:
      break
    case .trailer:
      fail(.internal, "a client must not send TRAILER frames")
    }
  }

  package func channel(_ channel: Channel, didFailFraming failure: FrameDecoder.Failure) {
    fail(failure.code, failure.message)
  }

  package func channelDidClose(_ channel: Channel, error: (any Error)?) {
    cancelHelloTimer()
    let calls = state.withLock { state -> [UInt32: Call] in
      state.phase = .closed
      let calls = state.calls
      state.calls.removeAll()
      state.heldRequestBytes = 0
      return calls
    }
    for (_, call) in calls {
      cancel(call)
      if shared.observesCalls { record(call, code: .cancelled, message: "the client disconnected", cause: nil) }
    }
    shared.connectionClosed(self)
  }

  /// Closes the connection with GOAWAY `DEADLINE_EXCEEDED` unless its HELLO arrives within
  /// `timeout`. Loop thread.
  package func expectHello(within timeout: Duration) {
    let timer = channel.loop.schedule(at: .now + timeout) { [self] in
      guard case .awaitingHello = state.withLock({ $0.phase }) else { return }
      fail(.deadlineExceeded, "no HELLO frame within \(timeout)")
    }
    let stillWaiting = state.withLock { state -> Bool in
      guard case .awaitingHello = state.phase else { return false }
      state.helloTimer = timer
      return true
    }
    if !stillWaiting { channel.loop.cancelTimer(timer) }
  }

  private func cancelHelloTimer() {
    let timer = state.withLock { state -> TimerHeap.ID? in
      defer { state.helloTimer = nil }
      return state.helloTimer
    }
    if let timer { channel.loop.cancelTimer(timer) }
  }

  private func receiveHello(_ frame: Frame) {
    guard let hello = try? decoder.decode(Hello.self, from: frame.payload), hello.magic == Hello.magic
    else {
      fail(.internal, "not a profiled-rpc client: the HELLO frame is malformed")
      return
    }
    guard hello.version == Hello.currentVersion else {
      fail(
        .failedPrecondition,
        "protocol version \(hello.version) is not supported; this server speaks version \(Hello.currentVersion)"
      )
      return
    }
    state.withLock { $0.phase = .ready }
    let reply = Hello(
      maxFrameSize: UInt32(shared.configuration.maxFrameSize),
      maxConcurrentCalls: UInt32(shared.configuration.maxConcurrentCallsPerConnection))
    try? channel.send { buffer in
      try Frame.append(to: &buffer, type: .hello, callID: 0) {
        try encoder.encode(reply, appendingTo: &$0)
      }
    }
  }

  private func startCall(_ frame: Frame) {
    let callID = frame.callID
    let maxConcurrentCalls = shared.configuration.maxConcurrentCallsPerConnection
    enum Admission {
      case refuse(RPCError)
      case protocolError(String)
      case accepted
    }
    let now = ContinuousClock.now
    let start: CallStart
    var route: RPCRouter.Route?
    do {
      start = try CallStart.decode(frame.payload) { name in
        let found = shared.routeTable.route(named: name)
        route = found?.route
        return found?.fullName
      }
    } catch {
      let admission = state.withLock { state -> Bool in
        guard callID > state.lastCallID else { return false }
        state.lastCallID = callID
        return true
      }
      if admission {
        sendTrailer(callID: callID, Trailer(RPCError(.invalidArgument, "malformed call start: \(error)")))
      } else {
        fail(.internal, "call id \(callID) is not above the last one")
      }
      return
    }
    let requestID = start.metadata[Metadata.requestID].map { ServerContext.RequestIDSource.given($0) }
      ?? shared.makeRequestID()
    let deadline = start.timeoutMicroseconds.map { now + .microseconds($0) }

    let admission = state.withLock { state -> Admission in
      guard callID > state.lastCallID else {
        return .protocolError("call id \(callID) is not above the last one (\(state.lastCallID))")
      }
      state.lastCallID = callID
      if case .draining = state.phase {
        return .refuse(RPCError(.unavailable, "the server is shutting down"))
      }
      if state.calls.count >= maxConcurrentCalls {
        return .refuse(
          RPCError(.resourceExhausted, "too many concurrent calls on this connection (limit \(maxConcurrentCalls))"))
      }
      if let violation = start.metadata.limitViolation() {
        return .refuse(RPCError(.invalidArgument, violation))
      }
      guard let route else {
        return .refuse(RPCError(.unimplemented, "unknown method '\(start.method)'"))
      }
      if let refusal = shared.trustedCallers.refusal(of: peer, for: route.info) {
        return .refuse(refusal)
      }
      if let timeout = start.timeoutMicroseconds, timeout <= 0 {
        return .refuse(RPCError(.deadlineExceeded, "the call's deadline had passed on arrival"))
      }
      let phase: CallPhase =
        route.info.kind.clientStreams ? .running(nil) : .awaitingRequest(request: nil)
      state.calls[callID] = Call(
        route: route, method: start.method, metadata: start.metadata, deadline: deadline, peer: peer,
        requestIDSource: requestID, started: now, phase: phase)
      return .accepted
    }

    switch admission {
    case .protocolError(let message):
      fail(.internal, message)
    case .refuse(let error):
      sendTrailer(callID: callID, Trailer(error))
      if shared.observesCalls {
        shared.observe(
          CallRecord(
            requestIDSource: requestID, method: start.method, code: error.code,
            message: error.message, duration: .zero, peer: peer, cause: nil))
      }
    case .accepted:
      if let deadline {
        let timer = channel.loop.schedule(at: deadline) { [self] in
          self.finish(
            callID: callID,
            trailer: Trailer(RPCError(.deadlineExceeded, "the call's deadline passed")),
            cancelTask: true)
        }
        state.withLock { $0.calls[callID]?.deadlineTimer = timer }
      }
      if route!.info.kind.clientStreams {
        let inbox = MessageQueue(capacity: ServerConnection.maxBufferedRequests)
        let call = state.withLock { state -> Call? in
          state.calls[callID]?.inbox = inbox
          return state.calls[callID]
        }
        if let call { run(call, callID: callID, request: nil, inbox: inbox) }
      }
    }
  }

  private func receiveMessage(_ frame: Frame) {
    let callID = frame.callID
    let endStream = frame.flags & FrameFlags.endStream != 0
    enum Action {
      case none
      case start(Call, [UInt8])
      case overflow
      case tooMany
      case heldTooMuch
      case unreadTooMuch
    }
    let action = state.withLock { state -> Action in
      guard let call = state.calls[callID] else { return .none }
      switch call.phase {
      case .awaitingRequest(let request):
        if request != nil { return .tooMany }
        if endStream {
          call.phase = .running(nil)
          return .start(call, frame.payload)
        }
        guard state.heldRequestBytes + frame.payload.count <= maxHeldRequestBytes else {
          return .heldTooMuch
        }
        state.heldRequestBytes += frame.payload.count
        call.phase = .awaitingRequest(request: frame.payload)
        return .none
      case .running:
        guard let inbox = call.inbox else { return .tooMany }
        let size = frame.payload.count
        guard state.heldRequestBytes + size <= maxHeldRequestBytes else { return .unreadTooMuch }
        if case .dropped = inbox.yield(frame.payload) { return .overflow }
        call.unreadBytes += size
        state.heldRequestBytes += size
        if endStream { inbox.finish() }
        return .none
      }
    }
    switch action {
    case .none: break
    case .start(let call, let request): run(call, callID: callID, request: request, inbox: nil)
    case .overflow:
      finish(
        callID: callID,
        trailer: Trailer(
          RPCError(
            .resourceExhausted,
            "more than \(ServerConnection.maxBufferedRequests) request messages are waiting to be read")),
        cancelTask: true)
    case .tooMany:
      finish(
        callID: callID,
        trailer: Trailer(RPCError(.invalidArgument, "this method takes exactly one request message")),
        cancelTask: true)
    case .heldTooMuch:
      finish(
        callID: callID,
        trailer: Trailer(
          RPCError(
            .resourceExhausted,
            "calls on this connection hold more than \(maxHeldRequestBytes) bytes of requests waiting for their half-close; half-close each call after its request")),
        cancelTask: true)
    case .unreadTooMuch:
      finish(
        callID: callID,
        trailer: Trailer(
          RPCError(
            .resourceExhausted,
            "calls on this connection hold more than \(maxHeldRequestBytes) bytes of request messages that their handlers have not read yet; send more slowly")),
        cancelTask: true)
    }
  }

  /// Called as a streaming call's handler takes a message of `size` bytes from its inbox: that
  /// message no longer counts against the connection's held bytes. Does nothing once the call
  /// has ended, whose unread bytes were released then.
  package func handlerRead(callID: UInt32, size: Int) {
    state.withLock { state in
      guard let call = state.calls[callID] else { return }
      let released = min(size, call.unreadBytes)
      call.unreadBytes -= released
      state.heldRequestBytes -= released
    }
  }

  private func receiveHalfClose(callID: UInt32) {
    enum Action { case none, start(Call, [UInt8]), missing }
    let action = state.withLock { state -> Action in
      guard let call = state.calls[callID] else { return .none }
      switch call.phase {
      case .awaitingRequest(let request):
        guard let request else { return .missing }
        state.release(call)
        call.phase = .running(nil)
        return .start(call, request)
      case .running:
        call.inbox?.finish()
        return .none
      }
    }
    switch action {
    case .none: break
    case .start(let call, let request): run(call, callID: callID, request: request, inbox: nil)
    case .missing:
      finish(
        callID: callID,
        trailer: Trailer(RPCError(.invalidArgument, "this method takes exactly one request message")),
        cancelTask: true)
    }
  }

  // MARK: - Running handlers

  private func run(
    _ call: Call, callID: UInt32, request: [UInt8]?, inbox: MessageQueue?
  ) {
    let io = ServerCallIO(
      connection: self, callID: callID, context: call.context, request: request, inbox: inbox)
    let interceptors = shared.interceptors
    let route = call.route
    var body = route.run
    if let immediate = route.immediate, interceptors.isEmpty, channel.hasRoom {
      // A handler registered to run on the loop thread: no task unless it leaves work for one.
      do {
        guard let rest = try immediate(io) else { return }
        body = rest
      } catch {
        handlerReturned(callID: callID, failure: Self.failure(from: error, context: io.context))
        return
      }
    }
    // Started at once on this (the loop's) thread, up to the handler's first suspension: a
    // handler that needs no other thread answers in the same loop iteration, without a trip
    // through the loop's job queue.
    let task = Task.immediate(executorPreference: channel.loop) { [self] in
      let failure = await Self.serve(io, info: route.info, body: body, interceptors: interceptors)
      self.handlerReturned(callID: callID, failure: failure)
    }
    // The call object is the table's, so no lookup: if the call has ended meanwhile, nobody
    // reads its phase again.
    state.withLock { _ in call.phase = .running(task) }
  }

  /// Runs the interceptors and the handler of one call.
  ///
  /// An async function's frame, allocated in its task, holds the locals of everything inlined
  /// into it. With this function, the interceptor loop and the ending of the call all inlined
  /// into the task's closure, that one frame took 800 of the about 1,000 bytes of the task
  /// allocator's first slab, and every call paid a `malloc` for a second slab. So the closure
  /// calls this, the loop is ``intercept(_:method:interceptors:)``, and the synchronous ends
  /// (``handlerReturned(callID:failure:)``, ``failure(from:context:)``) are never inlined.
  ///
  /// - Returns: nil when the handler finished the call, or the status the call ends with.
  @inline(never)
  private static func serve(
    _ io: ServerCallIO, info: MethodInfo, body: RPCRouter.Route.Body, interceptors: [any ServerInterceptor]
  ) async -> RPCError? {
    do {
      try await ServerContext.$current.withValue(io.context) {
        if !interceptors.isEmpty {
          try await intercept(io.context, method: info, interceptors: interceptors)
        }
        try await body(io)
      }
      return nil
    } catch {
      return failure(from: error, context: io.context)
    }
  }

  /// Runs every interceptor for one call; the first that throws refuses it. Not inlined into
  /// ``serve(_:info:body:interceptors:)``, whose async frame would otherwise hold the loop's state.
  @inline(never)
  private static func intercept(
    _ context: ServerContext, method: MethodInfo, interceptors: [any ServerInterceptor]
  ) async throws {
    for interceptor in interceptors {
      try await interceptor.intercept(context: context, method: method)
    }
  }

  /// Ends a call whose handler has returned, or thrown `failure`. Not inlined into the task's
  /// closure, whose async frame would otherwise hold this function's locals too.
  @inline(never)
  private func handlerReturned(callID: UInt32, failure: RPCError?) {
    // Recorded as the error itself: the trailer carries no cause.
    finish(callID: callID, trailer: failure.map(Trailer.init) ?? .ok, cancelTask: false, recordedAs: failure)
  }

  /// The status a call ends with when its handler or an interceptor threw `error`.
  @inline(never)
  private static func failure(from error: any Error, context: ServerContext) -> RPCError {
    var status = RPCError(mapping: error)
    if status.cause != nil {
      // The caller gets what to quote; the record (and so the log) keeps the cause under it.
      status.message += "; the server logged it with request id \(context.requestID)"
    }
    return status
  }

  /// Sends one response message of a call that is still running.
  package func sendMessage<T: Encodable>(callID: UInt32, _ message: T) async throws {
    try await channel.waitForRoom()
    let maxFrameSize = shared.configuration.maxFrameSize
    let arrange = try state.withLock { state -> Bool in
      guard state.calls[callID] != nil else {
        throw RPCError(.cancelled, "the call has ended")
      }
      return try channel.enqueue { buffer in
        try Frame.append(to: &buffer, type: .message, callID: callID, maxPayloadSize: maxFrameSize) {
          try encoder.encode(message, appendingTo: &$0)
        }
      }
    }
    if arrange { channel.arrangeFlush() }
  }

  /// Sends the one response of a unary or client-streaming call and ends the call with an OK
  /// trailer, both frames in one append to the outbound buffer under one lock.
  ///
  /// - Throws: `CANCELLED` when the call has already ended; an encoding or frame-size error
  ///   leaves the call running, for the caller to end with that error.
  package func finishWithResponse<T: Encodable>(callID: UInt32, _ message: T) async throws {
    try await channel.waitForRoom()
    try finishWithResponseNow(callID: callID, message)
  }

  /// ``finishWithResponse(callID:_:)`` without the wait for room in the outbound buffer. Not
  /// inlined into it: its locals would take room in the frame of every handler task.
  @inline(never)
  package func finishWithResponseNow<T: Encodable>(callID: UInt32, _ message: T) throws {
    let maxFrameSize = shared.configuration.maxFrameSize
    var arrange = false
    var lastInFlight = false
    let (call, drained) = try state.withLock { state -> (Call, Bool) in
      guard let call = state.calls[callID] else {
        throw RPCError(.cancelled, "the call has ended")
      }
      arrange = try channel.enqueue { buffer in
        try Frame.append(to: &buffer, type: .message, callID: callID, maxPayloadSize: maxFrameSize) {
          try encoder.encode(message, appendingTo: &$0)
        }
        Frame.appendHeader(
          to: &buffer, type: .trailer, flags: 0, callID: callID,
          payloadLength: Trailer.okPayload.count)
        buffer.append(contentsOf: Trailer.okPayload)
      }
      state.calls.removeValue(forKey: callID)
      lastInFlight = state.calls.isEmpty
      var drained = false
      if case .draining = state.phase, state.calls.isEmpty { drained = true }
      return (call, drained)
    }
    flushEnding(arranged: arrange, lastInFlight: lastInFlight)
    wrapUp(call, cancelTask: false, status: nil, drained: drained)
  }

  /// Writes a call's last frames. For the connection's last call in flight, now, unless more of
  /// the connection's input is waiting to be handled (see
  /// ``Channel/flushUnlessMoreInputFollows(arranged:)``): no other answer could join the write,
  /// and the peer may be waiting for this one. Otherwise at the end of the loop's iteration, with
  /// the other answers it produces.
  private func flushEnding(arranged: Bool, lastInFlight: Bool) {
    if lastInFlight {
      channel.flushUnlessMoreInputFollows(arranged: arranged)
    } else if arranged {
      channel.arrangeFlush()
    }
  }

  // MARK: - Ending calls

  /// Ends a call once: sends its trailer (unless `trailer` is nil, for a client's cancel),
  /// cancels its task when asked, and reports it as `recordedAs` (with its ``RPCError/cause``),
  /// else as the trailer says. Later calls for the same id do nothing.
  package func finish(
    callID: UInt32, trailer: Trailer?, cancelTask: Bool, recordedAs: RPCError? = nil
  ) {
    var arrange = false
    var lastInFlight = false
    let ended = state.withLock { state -> (Call, Bool)? in
      guard let call = state.calls.removeValue(forKey: callID) else { return nil }
      state.release(call)
      if let trailer {
        arrange = (try? channel.enqueue { buffer in
          if trailer.isPlainOK {
            try Frame.append(to: &buffer, type: .trailer, callID: callID) { $0.append(contentsOf: Trailer.okPayload) }
          } else {
            try Self.appendTrailer(trailer, callID: callID, to: &buffer, encoder: encoder)
          }
        }) ?? false
        lastInFlight = state.calls.isEmpty
      }
      var drained = false
      if case .draining = state.phase, state.calls.isEmpty { drained = true }
      return (call, drained)
    }
    flushEnding(arranged: arrange, lastInFlight: lastInFlight)
    guard let (call, drained) = ended else { return }
    wrapUp(call, cancelTask: cancelTask, status: Self.recordedStatus(recordedAs, trailer), drained: drained)
  }

  /// What the record of a call ended by ``finish(callID:trailer:cancelTask:recordedAs:)`` says:
  /// the error it was given, else the trailer's status (nil for a plain OK), `CANCELLED` when
  /// no trailer was sent (the client cancelled).
  private static func recordedStatus(_ recordedAs: RPCError?, _ trailer: Trailer?) -> RPCError? {
    if let recordedAs { return recordedAs }
    guard let trailer else { return RPCError(.cancelled, "cancelled") }
    return trailer.code == .ok && trailer.message.isEmpty ? nil : trailer.error
  }

  /// What follows a call's removal from the table: its timer, task and inbox, its record, and
  /// the close a drain was waiting for. `status` nil means OK.
  private func wrapUp(_ call: Call, cancelTask: Bool, status: @autoclosure () -> RPCError?, drained: Bool) {
    if let timer = call.deadlineTimer { channel.loop.cancelTimer(timer) }
    if cancelTask { cancel(call) }
    call.inbox?.finish()
    if shared.observesCalls {
      if let status = status() {
        record(call, code: status.code, message: status.message, cause: status.cause)
      } else {
        record(call, code: .ok, message: "", cause: nil)
      }
    }
    if drained { channel.closeAfterFlushing() }
  }

  private func cancel(_ call: Call) {
    if case .running(let task) = call.phase { task?.cancel() }
    call.inbox?.finish(throwing: CancellationError())
  }

  /// Reports a finished call; OK calls pass their fields directly, so that no error value is
  /// built and destroyed per call.
  private func record(_ call: Call, code: StatusCode, message: String, cause: String?) {
    shared.observe(
      CallRecord(
        requestIDSource: call.requestIDSource, method: call.method, code: code,
        message: message, duration: ContinuousClock.now - call.started, peer: peer, cause: cause))
  }

  private func sendTrailer(callID: UInt32, _ trailer: Trailer) {
    try? channel.send { buffer in
      try Self.appendTrailer(trailer, callID: callID, to: &buffer, encoder: encoder)
    }
  }

  /// The longest message a trailer keeps when the whole trailer does not fit in a frame.
  static let maxFallbackMessageBytes = 1_024

  /// Appends `trailer` as a frame; if it does not fit (an error that quotes a huge input, or
  /// details without end), appends the same code with the message cut to
  /// ``maxFallbackMessageBytes`` and no details or metadata, so the call still ends.
  static func appendTrailer(
    _ trailer: Trailer, callID: UInt32, to buffer: inout [UInt8], encoder: BinaryEncoder
  ) throws {
    do {
      try Frame.append(to: &buffer, type: .trailer, callID: callID) { try encoder.encode(trailer, appendingTo: &$0) }
    } catch {
      var message = String(decoding: trailer.message.utf8.prefix(maxFallbackMessageBytes), as: UTF8.self)
      message += " (cut: the trailer exceeded the frame size limit)"
      let fallback = Trailer(code: trailer.code, message: message, details: nil, metadata: [:])
      try Frame.append(to: &buffer, type: .trailer, callID: callID) { try encoder.encode(fallback, appendingTo: &$0) }
    }
  }

  /// Sends GOAWAY with an error and closes: the answer to anything that breaks the protocol.
  private func fail(_ code: StatusCode, _ message: String) {
    let lastCallID = state.withLock { state -> UInt32 in
      state.phase = .draining
      return state.lastCallID
    }
    sendGoAway(GoAway(lastCallID: lastCallID, code: code, message: message))
    let calls = state.withLock { state -> [UInt32] in Array(state.calls.keys) }
    for callID in calls {
      finish(callID: callID, trailer: Trailer(RPCError(code, message)), cancelTask: true)
    }
    channel.closeAfterFlushing()
  }

  private func sendGoAway(_ goAway: GoAway) {
    try? channel.send { buffer in
      try Frame.append(to: &buffer, type: .goAway, callID: 0) {
        try encoder.encode(goAway, appendingTo: &$0)
      }
    }
  }

  // MARK: - Shutdown

  /// Tells the client no new call will be taken; closes once the calls in flight end.
  package func beginDrain() {
    let (lastCallID, idle) = state.withLock { state -> (UInt32, Bool) in
      if case .ready = state.phase { state.phase = .draining }
      if case .awaitingHello = state.phase { state.phase = .draining }
      return (state.lastCallID, state.calls.isEmpty)
    }
    sendGoAway(GoAway(lastCallID: lastCallID, code: .ok, message: "the server is shutting down"))
    if idle { channel.closeAfterFlushing() }
  }

  /// Ends every call still running with `UNAVAILABLE` and closes: the grace period is over.
  package func forceClose() {
    let calls = state.withLock { state -> [UInt32] in Array(state.calls.keys) }
    for callID in calls {
      finish(
        callID: callID,
        trailer: Trailer(RPCError(.unavailable, "the server shut down before the call finished")),
        cancelTask: true)
    }
    channel.closeAfterFlushing()
  }
}
