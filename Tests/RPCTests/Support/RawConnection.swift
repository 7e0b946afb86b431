import Foundation
import Glibc
import RPC
import WireFormat

/// A blocking socket speaking raw frames, for protocol tests that a well-behaved client cannot
/// express (garbage, wrong versions, split writes).
final class RawConnection {
  let fd: Int32
  private var decoder = FrameDecoder(maxPayloadSize: 16 << 20)

  init(path: String) throws {
    fd = try UnixSocket.connect(path: path)
    Self.makeBlocking(fd)
  }

  /// A socket accepted from a listener: the server end, for client tests.
  init(accepted fd: Int32) {
    self.fd = fd
    Self.makeBlocking(fd)
  }

  private static func makeBlocking(_ fd: Int32) {
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(fd) }

  /// Whether the peer closes its end within `milliseconds`: true at end of stream, false when
  /// the time passes first. Frames that arrive meanwhile are kept for ``nextFrame()``.
  func peerCloses(within milliseconds: Int) -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(milliseconds)
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let remaining = ContinuousClock.now.duration(to: deadline)
      guard remaining > .zero else { return false }
      var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let timeout = Int32(remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000)
      guard poll(&descriptor, 1, max(timeout, 1)) > 0 else { continue }
      let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count == 0 { return true }
      if count > 0 { decoder.append(Array(chunk[0..<count])) }
    }
  }

  func write(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  func send(_ type: FrameType, flags: UInt8 = 0, callID: UInt32 = 0, _ payload: [UInt8] = []) {
    write(Frame(type: type, flags: flags, callID: callID, payload: payload).bytes)
  }

  func send<T: Encodable>(_ type: FrameType, flags: UInt8 = 0, callID: UInt32 = 0, message: T) throws {
    send(type, flags: flags, callID: callID, try BinaryEncoder().encode(message))
  }

  func hello(version: UInt32 = Hello.currentVersion) throws {
    try send(.hello, message: Hello(version: version))
  }

  /// The next frame, or nil at end of stream (or after the 5 s receive timeout).
  func nextFrame() throws -> Frame? {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      if let frame = try decoder.next() { return frame }
      let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count <= 0 { return nil }
      decoder.append(Array(chunk[0..<count]))
    }
  }

  /// Frames until end of stream.
  func framesUntilClose() throws -> [Frame] {
    var frames: [Frame] = []
    while let frame = try nextFrame() { frames.append(frame) }
    return frames
  }
}
