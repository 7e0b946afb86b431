internal import Glibc

/// One connection of the raw baseline client, with at most one request in flight.
///
/// Owned by the client's single thread; closes its descriptor on deinit.
final class RawClientConnection {
  /// Initial size of each queue.
  static let initialQueueBytes = 4096
  /// The most bytes either queue may hold.
  static let maximumQueueBytes =
    ByteQueue.lengthPrefixBytes + RawProtocol.maximumPayloadBytes + 256 * 1024

  let descriptor: Int32
  var inbound = ByteQueue(initialCapacity: initialQueueBytes, maximumCapacity: maximumQueueBytes)
  private var outbound = ByteQueue(
    initialCapacity: initialQueueBytes, maximumCapacity: maximumQueueBytes)
  /// Sequence number of the request in flight, echoed by the server.
  private(set) var sequence: UInt64 = 0
  /// When the request in flight was queued (`MonotonicClock` nanoseconds).
  private(set) var sentAt: UInt64 = 0
  /// Whether a ping has been sent and its response not yet received.
  private(set) var isAwaitingResponse = false
  /// Whether `EPOLLOUT` is in this connection's interest mask.
  var isWaitingToWrite = false

  /// Connects to the raw server at `socketPath` (non-blocking once connected).
  init(socketPath: String) throws {
    descriptor = try UnixSocket.connect(path: socketPath)
  }

  deinit {
    close(descriptor)
  }

  /// Queues and writes the next ping; returns whether it is still partly unsent.
  func sendPing(at now: UInt64) throws -> Bool {
    precondition(!isAwaitingResponse, "one request in flight per connection")
    sequence &+= 1
    sentAt = now
    isAwaitingResponse = true
    let sequence = sequence
    try outbound.appendFrame(payloadCount: RawProtocol.requestPayloadBytes) {
      RawProtocol.write(operation: RawProtocol.pingOperation, value: sequence, into: $0)
    }
    return try !outbound.send(to: descriptor)
  }

  /// Queues and writes a request for `messages` stream messages; returns whether it is still
  /// partly unsent.
  func sendStreamRequest(messages: UInt64) throws -> Bool {
    try outbound.appendFrame(payloadCount: RawProtocol.requestPayloadBytes) {
      RawProtocol.write(operation: RawProtocol.streamOperation, value: messages, into: $0)
    }
    return try !outbound.send(to: descriptor)
  }

  /// Writes what is still queued; returns whether some is still unsent.
  func flush() throws -> Bool {
    try !outbound.send(to: descriptor)
  }

  /// Checks a ping response against the request in flight, which it completes.
  func acceptPingResponse(_ payload: UnsafeRawBufferPointer) throws {
    let (operation, value) = try RawProtocol.readHeader(payload)
    guard isAwaitingResponse else {
      throw BenchError.protocolViolation("a raw response arrived with no request in flight")
    }
    guard operation == RawProtocol.pingOperation,
      payload.count == RawProtocol.responsePayloadBytes, value == sequence
    else {
      throw BenchError.protocolViolation(
        "unexpected raw response: operation \(operation), \(payload.count) bytes, sequence "
          + "\(value) (expected \(RawProtocol.pingOperation), "
          + "\(RawProtocol.responsePayloadBytes) bytes, sequence \(sequence))")
    }
    isAwaitingResponse = false
  }
}
