internal import Glibc

/// One client of the raw baseline server: its socket, its two queues, and the stream it still owes.
///
/// Owned by the server's single thread; closes its descriptor on deinit.
final class RawServerConnection {
  /// Initial size of each queue: a few requests or responses.
  static let initialQueueBytes = 4096
  /// Stream messages are generated only while fewer bytes than this wait to be sent, so a
  /// long stream costs a bounded buffer, refilled on `EPOLLOUT`.
  static let streamHighWaterBytes = 64 * 1024
  /// The most unsent output a connection may accumulate (a client that pipelines requests
  /// without reading responses hits this and is dropped).
  static let maximumOutboundBytes = 4 * 1024 * 1024

  let descriptor: Int32
  private var inbound = ByteQueue(
    initialCapacity: initialQueueBytes,
    maximumCapacity: ByteQueue.lengthPrefixBytes + RawProtocol.maximumPayloadBytes
      + ByteQueue.minimumReadSpace)
  private var outbound = ByteQueue(
    initialCapacity: initialQueueBytes, maximumCapacity: maximumOutboundBytes)
  private var streamRemaining: UInt64 = 0
  private var streamNextIndex: UInt64 = 0
  /// Whether `EPOLLOUT` is in this connection's interest mask.
  var isWaitingToWrite = false

  init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  deinit {
    Glibc.close(descriptor)
  }

  /// Reads what the socket has and queues the answer to every complete request.
  ///
  /// Returns `.closed` once the client has closed its side. Throws on socket errors and on
  /// malformed or unknown requests.
  func receiveAndHandle() throws -> ByteQueue.PeerState {
    let state = try inbound.receive(from: descriptor)
    while let (operation, value) = try inbound.nextFrame(
      maximumPayload: RawProtocol.maximumPayloadBytes, RawProtocol.readHeader)
    {
      switch operation {
      case RawProtocol.pingOperation:
        try outbound.appendFrame(payloadCount: RawProtocol.responsePayloadBytes) {
          RawProtocol.write(operation: RawProtocol.pingOperation, value: value, into: $0)
        }
      case RawProtocol.streamOperation:
        guard streamRemaining == 0 else {
          throw BenchError.protocolViolation("a stream was requested while one is running")
        }
        streamRemaining = value
        streamNextIndex = 0
      default:
        throw BenchError.protocolViolation("unknown raw operation \(operation)")
      }
    }
    return state
  }

  /// Writes queued output, generating stream messages as the socket takes them.
  ///
  /// Returns whether output is still pending, i.e. whether the server must wait for `EPOLLOUT`.
  /// Costs no system call when there is nothing to send.
  func flush() throws -> Bool {
    while true {
      try refillStream()
      if try !outbound.send(to: descriptor) { return true }
      if streamRemaining == 0 { return false }
    }
  }

  private func refillStream() throws {
    while streamRemaining > 0 && outbound.count < Self.streamHighWaterBytes {
      let index = streamNextIndex
      try outbound.appendFrame(payloadCount: RawProtocol.streamMessagePayloadBytes) {
        RawProtocol.write(operation: RawProtocol.streamOperation, value: index, into: $0)
      }
      streamNextIndex += 1
      streamRemaining -= 1
    }
  }
}
