internal import Glibc
import Synchronization
internal import WireFormat

/// The listening socket: accepts connections and hands them to the event loops in turn.
final class Listener: EventHandler, @unchecked Sendable {
  // @unchecked: `nextLoop` and `stopped` are touched only on the first loop's thread.
  private let fd: Int32
  private let loops: [EventLoop]
  private let shared: ServerShared
  private var nextLoop = 0
  private var stopped = false

  init(fd: Int32, loops: [EventLoop], shared: ServerShared) {
    self.fd = fd
    self.loops = loops
    self.shared = shared
  }

  func handleEvent(_ events: UInt32) {
    while !stopped {
      let accepted: Int32?
      do {
        accepted = try UnixSocket.accept(fd)
      } catch {
        // EMFILE and the like: stop for this round; the listener stays registered.
        return
      }
      guard let client = accepted else { return }
      guard shared.reserveConnection() else {
        refuse(client)
        continue
      }
      guard let peer = try? UnixSocket.peerCredentials(client) else {
        shared.releaseReservation()
        Glibc.close(client)
        continue
      }
      let loop = loops[nextLoop % loops.count]
      nextLoop &+= 1
      let shared = shared
      let maxFrameSize = shared.configuration.maxFrameSize
      loop.execute {
        let channel = Channel(fd: client, loop: loop, maxFrameSize: maxFrameSize)
        let connection = ServerConnection(channel: channel, peer: peer, shared: shared)
        shared.connectionOpened(connection)
        do {
          try channel.activate(delegate: connection)
          connection.expectHello(within: shared.configuration.helloTimeout)
        } catch {
          channel.close(error: error)
        }
      }
    }
  }

  /// Over the connection limit: a best-effort GOAWAY, then close.
  private func refuse(_ client: Int32) {
    let goAway = GoAway(
      lastCallID: 0, code: .resourceExhausted,
      message: "the server has reached its limit of \(shared.configuration.maxConnections) connections")
    var buffer: [UInt8] = []
    try? Frame.append(to: &buffer, type: .goAway, callID: 0) {
      try BinaryEncoder().encode(goAway, appendingTo: &$0)
    }
    _ = buffer.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    Glibc.close(client)
  }

  /// Stops accepting and closes the listening socket. Loop thread only.
  func stop() {
    guard !stopped else { return }
    stopped = true
    loops[0].deregister(fd: fd)
    Glibc.close(fd)
  }
}
