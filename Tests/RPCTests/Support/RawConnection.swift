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
  }

  deinit { close(fd) }

  /// Whether the peer closes its end within `milliseconds`: true at end of stream, false when
  /// the time passes first. Frames that arrive meanwhile are kept for ``nextFrame()``.
  func peerCloses(within milliseconds: Int) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(milliseconds)
    while true {
      switch await receive(until: deadline) {
      case .closed: return true
      case .timedOut: return false
      case .received: continue
      }
    }
  }

  private enum Receipt { case received, closed, timedOut }

  /// Appends what the socket holds to the decoder, waiting for bytes until `deadline`.
  ///
  /// It waits by sleeping between non-blocking reads, never in a blocking `recv`: a test's task
  /// runs on the cooperative pool (two threads on a two-core machine), and a thread parked in the
  /// kernel could starve the very task that is to send what the test waits for.
  private func receive(until deadline: ContinuousClock.Instant) async -> Receipt {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
      if count > 0 {
        decoder.append(Array(chunk[0..<count]))
        return .received
      }
      if count == 0 { return .closed }
      guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return .closed }
      guard ContinuousClock.now < deadline else { return .timedOut }
      try? await Task.sleep(for: .milliseconds(1))
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

  /// The next frame, or nil at end of stream (or when none arrives within `timeout`).
  func nextFrame(timeout: Duration = .seconds(10)) async throws -> Frame? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let frame = try decoder.next() { return frame }
      guard await receive(until: deadline) == .received else { return nil }
    }
  }

  /// Frames until end of stream.
  func framesUntilClose() async throws -> [Frame] {
    var frames: [Frame] = []
    while let frame = try await nextFrame() { frames.append(frame) }
    return frames
  }
}
