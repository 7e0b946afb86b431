internal import CLinux
internal import Glibc
import Synchronization

/// Receives what a ``Channel`` reads. Every method is called on the channel's loop thread.
package protocol ChannelDelegate: AnyObject, Sendable {
  func channel(_ channel: Channel, didReceive frame: Frame)
  /// The byte stream cannot be framed; the delegate answers (GOAWAY) and closes.
  func channel(_ channel: Channel, didFailFraming failure: FrameDecoder.Failure)
  /// The socket is closed; `error` is nil for an orderly end of stream.
  func channelDidClose(_ channel: Channel, error: (any Error)?)
}

/// A non-blocking Unix socket on an event loop: frames in, bytes out.
///
/// Purpose: the socket mechanics shared by server and client connections. Reads happen on the
/// loop thread and are cut into frames for the delegate. Writes may come from any thread: bytes
/// are appended to one outbound buffer under a lock, and one thread at a time writes it out, so
/// frames from many calls leave in few `write` calls. A caller on the loop thread defers the
/// write to the end of the loop iteration; a caller elsewhere writes at once unless another
/// thread is already writing (which then takes its bytes too).
///
/// Backpressure: ``waitForRoom()`` suspends while more than ``highWaterMark`` bytes wait, and
/// the channel stops reading while that much is waiting, so a peer that sends requests but
/// never reads the answers cannot make its connection buffer without bound; reading resumes
/// once the buffer has drained below half the mark.
package final class Channel: EventHandler, Flushable, @unchecked Sendable {
  // @unchecked: `decoder` and `delegate` are touched only on the loop thread (delegate is set
  // before the channel is registered); the outbound state is behind `outbound`'s Mutex.

  package static let highWaterMark = 4 << 20
  private static let readChunk = 64 * 1024
  /// Frames of one read delivered before the output they produced is written, doubling after
  /// each early write (4, then 8 more, 16 more, ...). A peer with many calls in flight then
  /// starts on the first answers while this side works through the rest, instead of the two
  /// sides taking turns with whole batches; the doubling keeps a large batch to a few writes.
  /// With 16 calls in flight on one connection, two alternating runs of
  /// `profile-bench --ping-pong-only --concurrency 16,64,256` gave 0.68x-0.69x of the raw
  /// baseline against 0.24x-0.26x writing once per read, with 64 and 256 calls unchanged.
  /// It was 8 until handlers that never suspend answered inside the read (see
  /// `RPCRouter.unary(_:immediately:)`); then 16 calls in flight fell to 0.57x-0.58x, and 4
  /// gave 0.78x in two alternating pairs of `--ping-pong-only --concurrency 16,64`, with 64
  /// calls within noise.
  private static let framesBeforeFirstFlush = 4

  private struct Outbound {
    var pending: [UInt8] = []
    var spare: [UInt8] = []
    /// A flush was arranged (deferred to the loop or about to run); no need to arrange another.
    var scheduled = false
    /// A thread is writing; others only append.
    var flushing = false
    /// The socket returned EAGAIN; EPOLLOUT will resume writing.
    var blocked = false
    var closed = false
    /// Close once everything pending is written (after a GOAWAY for a protocol error).
    var closeWhenFlushed = false
    var waiters: [CheckedContinuation<Void, any Error>] = []
    /// Reading stopped because too much output is waiting.
    var readingPaused = false

    /// The epoll events the socket should be watched for in this state.
    var interest: UInt32 {
      (readingPaused ? 0 : EPOLLIN.rawValue | EPOLLRDHUP.rawValue) | (blocked ? EPOLLOUT.rawValue : 0)
    }
  }

  package let fd: Int32
  package let loop: EventLoop
  private let outbound = Mutex(Outbound())
  // The loop-thread fields below are not checked for exclusive access at run time (the checks
  // cost a `swift_beginAccess` per frame): only the loop thread touches them, and no access to
  // one spans a call out of this class (frames reach the delegate after `decoder.next()` has
  // returned).
  @exclusivity(unchecked) private var decoder: FrameDecoder
  /// Strong, not weak: the channel keeps its connection alive until it closes, and a weak
  /// reference would give the connection a side table, which sends every retain and release of
  /// it down the runtime's slow path (2% of the server's time in the 64-connection echo). The
  /// cycle is broken in ``close(error:)``.
  @exclusivity(unchecked) private var delegate: (any ChannelDelegate)?
  @exclusivity(unchecked) private var readBuffer: UnsafeMutableRawBufferPointer
  @exclusivity(unchecked) private var descriptorClosed = false
  /// While a read's frames are being delivered: whether more input follows the frame being
  /// handled (bytes of another frame in the decoder, or a read that filled the buffer, so the
  /// socket may hold more). Loop thread only.
  @exclusivity(unchecked) private var moreInputFollows = false

  package init(fd: Int32, loop: EventLoop, maxFrameSize: Int) {
    self.fd = fd
    self.loop = loop
    self.decoder = FrameDecoder(maxPayloadSize: maxFrameSize)
    self.readBuffer = .allocate(byteCount: Channel.readChunk, alignment: 16)
  }

  deinit {
    readBuffer.deallocate()
  }

  /// Sets the delegate and starts reading. Loop thread only.
  package func activate(delegate: any ChannelDelegate) throws {
    try loop.register(fd: fd, events: EPOLLIN.rawValue | EPOLLRDHUP.rawValue, handler: self)
    // Events are handled on this thread, so none can arrive before the delegate is set.
    self.delegate = delegate
  }

  package var isClosed: Bool { outbound.withLock { $0.closed } }

  // MARK: - Writing

  /// Appends bytes built by `build` to the outbound buffer and arranges for them to be written.
  ///
  /// - Throws: ``RPCError`` `UNAVAILABLE` when the channel is closed, or what `build` throws (the
  ///   buffer is then unchanged if `build` restores it, as ``Frame/append(to:type:flags:callID:maxPayloadSize:payload:)`` does).
  package func send(_ build: (inout [UInt8]) throws -> Void) throws {
    if try enqueue(build) { arrangeFlush() }
  }

  /// Appends bytes without writing them; returns true when the caller must call
  /// ``arrangeFlush()`` (after releasing any lock it holds), false when a flush is already due.
  package func enqueue(_ build: (inout [UInt8]) throws -> Void) throws -> Bool {
    try outbound.withLock { state -> Bool in
      guard !state.closed else { throw RPCError(.unavailable, "the connection is closed") }
      try build(&state.pending)
      if state.scheduled || state.flushing || state.blocked { return false }
      state.scheduled = true
      return true
    }
  }

  /// Writes the pending bytes: at the end of the loop iteration on the loop thread, at once
  /// elsewhere.
  package func arrangeFlush() {
    if loop.inEventLoop {
      loop.flushAtEndOfIteration(self)
    } else {
      flush()
    }
  }

  /// Writes the pending bytes now when nothing else this iteration could add to them: on the
  /// loop thread, no more input of this channel waiting to be handled. Otherwise as
  /// ``arrangeFlush()``, when `arranged` says the caller's enqueue asked for it.
  ///
  /// For a connection's last call in flight: its answer leaves before the rest of the call's
  /// wrap-up and the rest of the loop's iteration, which is time a peer waiting for exactly that
  /// answer would spend idle. Answers to calls that arrived together still leave in one write.
  package func flushUnlessMoreInputFollows(arranged: Bool) {
    if loop.inEventLoop {
      if moreInputFollows {
        if arranged { loop.flushAtEndOfIteration(self) }
      } else {
        flush()
      }
    } else if arranged {
      flush()
    }
  }

  /// Suspends while the outbound buffer holds more than ``highWaterMark`` bytes.
  ///
  /// Inlined, so a caller with room (almost always) makes no async call and allocates no frame
  /// for one in its task.
  @inline(__always)
  package func waitForRoom() async throws {
    if !hasRoom { try await waitUntilRoom() }
  }

  /// False while the outbound buffer holds more than ``highWaterMark`` bytes; a closed channel
  /// has room (what is written to it is dropped).
  package var hasRoom: Bool {
    outbound.withLock { state in state.closed || state.pending.count <= Channel.highWaterMark }
  }

  /// The slow path of ``waitForRoom()``: parks the caller until a flush makes room.
  @inline(never)
  private func waitUntilRoom() async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      let resumeNow = outbound.withLock { state -> Bool in
        if state.closed || state.pending.count <= Channel.highWaterMark { return true }
        state.waiters.append(continuation)
        return false
      }
      if resumeNow { continuation.resume() }
    }
  }

  /// Writes what is pending until done or the socket is full. Any thread.
  package func flush() {
    guard
      var buffer = outbound.withLock({ state -> [UInt8]? in
        state.scheduled = false
        if state.flushing || state.blocked || state.closed || state.pending.isEmpty { return nil }
        state.flushing = true
        var taken = state.spare
        swap(&taken, &state.pending)
        return taken
      })
    else { return }

    while true {
      let (written, failure) = writeAll(buffer)
      if let failure {
        outbound.withLock { $0.flushing = false }
        closeFromAnyThread(error: failure)
        return
      }
      if written < buffer.count {
        let rest = Array(buffer[written...])
        outbound.withLock { state in
          state.pending = rest + state.pending
          state.blocked = true
          state.flushing = false
          loop.modify(fd: fd, events: state.interest)
        }
        return
      }
      buffer.removeAll(keepingCapacity: true)
      var finished: (waiters: [CheckedContinuation<Void, any Error>], close: Bool)? = nil
      outbound.withLock { state in
        if state.readingPaused && state.pending.count <= Channel.highWaterMark / 2 {
          state.readingPaused = false
          loop.modify(fd: fd, events: state.interest)
        }
        if state.pending.isEmpty {
          state.spare = buffer
          state.flushing = false
          finished = (state.waiters, state.closeWhenFlushed)
          state.waiters.removeAll()
        } else {
          swap(&buffer, &state.pending)
          if state.pending.count <= Channel.highWaterMark && !state.waiters.isEmpty {
            finished = (state.waiters, false)
            state.waiters.removeAll()
          }
        }
      }
      if let finished {
        for waiter in finished.waiters { waiter.resume() }
        if finished.close {
          closeFromAnyThread(error: nil)
          return
        }
        if buffer.isEmpty { return }
      }
    }
  }

  /// Writes `bytes` until done or EAGAIN; returns how many were written, and an error for
  /// anything but EAGAIN.
  private func writeAll(_ bytes: [UInt8]) -> (Int, SystemError?) {
    bytes.withUnsafeBytes { raw -> (Int, SystemError?) in
      var offset = 0
      while offset < raw.count {
        let result = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if result >= 0 {
          offset += result
        } else if errno == EINTR {
          continue
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
          return (offset, nil)
        } else {
          return (offset, SystemError.last("send"))
        }
      }
      return (offset, nil)
    }
  }

  // MARK: - Reading (loop thread)

  package func handleEvent(_ events: UInt32) {
    if events & EPOLLOUT.rawValue != 0 {
      outbound.withLock { state in
        state.blocked = false
        loop.modify(fd: fd, events: state.interest)
      }
      flush()
    }
    if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
      readAvailable()
    }
  }

  private func readAvailable() {
    for _ in 0..<8 {
      guard !descriptorClosed else { return }
      let paused = outbound.withLock { state -> Bool in
        guard !state.readingPaused, state.pending.count > Channel.highWaterMark else { return state.readingPaused }
        state.readingPaused = true
        loop.modify(fd: fd, events: state.interest)
        return true
      }
      if paused { return }
      let count = Glibc.read(fd, readBuffer.baseAddress, Channel.readChunk)
      if count > 0 {
        decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        deliverFrames(socketMayHoldMore: count == Channel.readChunk)
        if count < Channel.readChunk { return }
      } else if count == 0 {
        close(error: nil)
        return
      } else if errno == EINTR {
        continue
      } else if errno == EAGAIN || errno == EWOULDBLOCK {
        return
      } else {
        close(error: SystemError.last("read"))
        return
      }
    }
  }

  private func deliverFrames(socketMayHoldMore: Bool) {
    defer { moreInputFollows = false }
    do {
      var sinceFlush = 0
      var nextFlush = Channel.framesBeforeFirstFlush
      while !descriptorClosed, let frame = try decoder.next() {
        moreInputFollows = socketMayHoldMore || decoder.bufferedByteCount > 0
        delegate?.channel(self, didReceive: frame)
        sinceFlush += 1
        if sinceFlush == nextFlush {
          sinceFlush = 0
          nextFlush *= 2
          flush()
        }
      }
    } catch {
      delegate?.channel(self, didFailFraming: error)
    }
  }

  // MARK: - Closing

  /// Writes what is pending (a final GOAWAY, say), then closes. Stops reading at once.
  package func closeAfterFlushing() {
    let closeNow = outbound.withLock { state -> Bool in
      state.closeWhenFlushed = true
      return state.pending.isEmpty && !state.flushing
    }
    if closeNow {
      closeFromAnyThread(error: nil)
    } else {
      loop.execute { [self] in self.flush() }
    }
  }

  /// Closes from any thread: hops to the loop.
  package func closeFromAnyThread(error: (any Error)?) {
    if loop.inEventLoop {
      close(error: error)
    } else {
      loop.execute { [self] in self.close(error: error) }
    }
  }

  /// Closes the socket and tells the delegate once. Loop thread only.
  package func close(error: (any Error)?) {
    guard !descriptorClosed else { return }
    let (waiters, writerActive) = outbound.withLock { state in
      state.closed = true
      let waiters = state.waiters
      state.waiters.removeAll()
      return (waiters, state.flushing)
    }
    if writerActive {
      // Another thread is inside send(2) on this descriptor: retry once it is done, so the
      // number cannot be reused under it.
      loop.execute { [self] in self.close(error: error) }
      return
    }
    descriptorClosed = true
    loop.deregister(fd: fd)
    Glibc.close(fd)
    for waiter in waiters { waiter.resume(throwing: RPCError(.unavailable, "the connection closed")) }
    delegate?.channelDidClose(self, error: error)
    delegate = nil
  }
}
