internal import Glibc

/// The raw baseline server: one thread, one epoll instance, non-blocking sockets, no framework.
///
/// It answers each ping with a 300-byte response and each stream request with that many small
/// messages (see `RawProtocol`). It runs as a child process of the benchmark (`--serve-raw`)
/// and ends by itself once the benchmark is gone (`ParentWatch`), or by `SIGTERM`.
struct RawBaselineServer {
  /// Pending connections the kernel queues for `accept`: above the largest connection count.
  static let listenBacklog: Int32 = 1024
  /// How long an idle wait lasts before checking whether the benchmark is still there.
  static let idleCheckMilliseconds: Int32 = 500
  /// Events taken from one `epoll_wait`.
  static let eventsPerWait = 256

  let socketPath: String

  /// Serves until the benchmark that started this process has exited, then removes the socket
  /// file and returns. Throws when the listener itself fails; a failing connection is logged
  /// to standard error and closed.
  func run() throws {
    let listener = try UnixSocket.listen(path: socketPath, backlog: Self.listenBacklog)
    defer {
      close(listener)
      try? UnixSocket.removeStaleSocketFile(socketPath)
    }
    let epoll = try Epoll(capacity: Self.eventsPerWait)
    let listenerToken = UInt64.max
    try epoll.add(listener, interest: EpollABI.readable, token: listenerToken)
    var connections: [Int32: RawServerConnection] = [:]

    while true {
      let ready = try epoll.wait(timeoutMilliseconds: Self.idleCheckMilliseconds)
      if ready == 0 {
        if ParentWatch.parentHasExited { return }
        continue
      }
      for index in 0..<ready {
        let (token, events) = epoll.event(at: index)
        if token == listenerToken {
          while let fd = try UnixSocket.accept(listener) {
            let connection = RawServerConnection(descriptor: fd)
            try epoll.add(fd, interest: EpollABI.readable, token: UInt64(UInt32(bitPattern: fd)))
            connections[fd] = connection
          }
          continue
        }
        let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: token))
        guard let connection = connections[fd] else { continue }
        do {
          if try !serve(connection, events: events, epoll: epoll) {
            connections[fd] = nil  // deinit closes the socket, which leaves the epoll set
          }
        } catch {
          Console.error("profile-bench raw server: closing a connection: \(error)")
          connections[fd] = nil
        }
      }
    }
  }

  /// Handles one readiness report; returns false when the connection is finished.
  private func serve(_ connection: RawServerConnection, events: UInt32, epoll: Epoll) throws
    -> Bool
  {
    if events & (EpollABI.readable | EpollABI.error | EpollABI.hangUp) != 0 {
      // recv reports a pending socket error, and 0 bytes for a closed peer.
      if try connection.receiveAndHandle() == .closed { return false }
    }
    let pending = try connection.flush()
    if pending != connection.isWaitingToWrite {
      let interest = EpollABI.readable | (pending ? EpollABI.writable : 0)
      try epoll.modify(
        connection.descriptor, interest: interest,
        token: UInt64(UInt32(bitPattern: connection.descriptor)))
      connection.isWaitingToWrite = pending
    }
    return true
  }
}
