internal import Glibc

/// A byte FIFO for one direction of one non-blocking socket.
///
/// Bytes are appended at the tail and consumed from the head. Before growing, the unread bytes
/// are moved to the front, so a connection that keeps up with its peer stays within its initial
/// capacity; the storage never grows past `maximumCapacity`, which bounds what a misbehaving
/// peer can make the process hold.
struct ByteQueue {
  /// Whether the peer is still sending, as found by `receive(from:)`.
  enum PeerState {
    case open
    /// The peer closed its sending side (a read returned 0); buffered bytes remain readable.
    case closed
  }

  /// The least free space offered to one `recv`.
  static let minimumReadSpace = 4096
  /// How many `recv` calls one `receive(from:)` makes at most; with level-triggered epoll,
  /// anything left in the socket is reported again, so this only bounds one connection's turn.
  static let maximumReadsPerCall = 4

  private var storage: [UInt8]
  private var head = 0
  private var tail = 0
  /// The most bytes this queue will ever hold.
  let maximumCapacity: Int

  init(initialCapacity: Int, maximumCapacity: Int) {
    precondition(initialCapacity > 0 && initialCapacity <= maximumCapacity)
    storage = [UInt8](repeating: 0, count: initialCapacity)
    self.maximumCapacity = maximumCapacity
  }

  /// Bytes appended and not yet consumed.
  var count: Int { tail - head }

  var isEmpty: Bool { head == tail }

  /// Calls `body` with the unconsumed bytes.
  func withReadableBytes<Result>(
    _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[head..<tail])) }
  }

  /// Drops the first `byteCount` unconsumed bytes.
  mutating func consume(_ byteCount: Int) {
    precondition(byteCount >= 0 && byteCount <= count)
    head += byteCount
    if head == tail {
      head = 0
      tail = 0
    }
  }

  /// Appends `byteCount` bytes that `body` writes into the buffer it is given (of exactly that size).
  mutating func append(
    byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void
  ) throws {
    try reserve(byteCount)
    try storage.withUnsafeMutableBytes {
      try body(UnsafeMutableRawBufferPointer(rebasing: $0[tail..<(tail + byteCount)]))
    }
    tail += byteCount
  }

  /// Reads what `fd` has ready into the tail, looping while reads fill the space offered.
  ///
  /// Returns `.closed` when the peer has closed; throws for read errors other than
  /// `EAGAIN`/`EINTR` (a reset connection included). Stops early, without an error, when the
  /// queue has no room for another read.
  mutating func receive(from fd: Int32) throws -> PeerState {
    for _ in 0..<Self.maximumReadsPerCall {
      // A full queue stops reading for now: the caller consumes what is complete, and the
      // level-triggered epoll reports the socket again.
      if count + Self.minimumReadSpace > maximumCapacity { return .open }
      try reserve(Self.minimumReadSpace)
      let space = storage.count - tail
      let received = storage.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + tail, space, 0) }
      if received > 0 {
        tail += received
        if received < space { return .open }
        continue
      }
      if received == 0 { return .closed }
      let code = errno
      if code == EINTR { continue }
      if code == EAGAIN || code == EWOULDBLOCK { return .open }
      throw BenchError.systemCall("recv", "fd \(fd)", code: code)
    }
    return .open
  }

  /// Writes queued bytes to `fd` until the queue is empty or the socket's buffer is full.
  ///
  /// Returns whether the queue is now empty; when it is not, the caller waits for `EPOLLOUT`.
  /// Uses `MSG_NOSIGNAL`, so a closed peer is an `EPIPE` error, never a `SIGPIPE`.
  mutating func send(to fd: Int32) throws -> Bool {
    while head < tail {
      let pending = tail - head
      let sent = storage.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + head, pending, Int32(MSG_NOSIGNAL))
      }
      if sent >= 0 {
        consume(sent)
        continue
      }
      let code = errno
      if code == EINTR { continue }
      if code == EAGAIN || code == EWOULDBLOCK { return false }
      throw BenchError.systemCall("send", "fd \(fd)", code: code)
    }
    return true
  }

  /// Makes room for at least `byteCount` more bytes at the tail: first by moving the unread
  /// bytes to the front, then by doubling the storage up to `maximumCapacity`.
  private mutating func reserve(_ byteCount: Int) throws {
    if storage.count - tail >= byteCount { return }
    if head > 0 {
      let unread = count
      storage.withUnsafeMutableBytes { bytes in
        let base = bytes.baseAddress!
        memmove(base, base + head, unread)
      }
      head = 0
      tail = unread
      if storage.count - tail >= byteCount { return }
    }
    let needed = tail + byteCount
    guard needed <= maximumCapacity else {
      throw BenchError.protocolViolation(
        "a connection buffer would need \(needed) bytes, over its limit of \(maximumCapacity)")
    }
    var newCapacity = storage.count
    while newCapacity < needed { newCapacity *= 2 }
    storage.append(
      contentsOf: repeatElement(0, count: min(newCapacity, maximumCapacity) - storage.count))
  }
}
