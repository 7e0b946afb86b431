/// The wire protocol of the raw baseline, framed by `ByteQueue+Framing` (4-byte big-endian length).
///
/// Every payload starts with a 9-byte header: an operation byte, then a big-endian `UInt64`.
/// The rest is filler, so sizes match the RPC scenario (about 100-byte requests, 300-byte
/// responses) without the baseline doing any encoding work the kernel does not.
///
/// - ping: request `[1, sequence]`, response `[1, same sequence]` of `responsePayloadBytes`.
/// - stream: request `[2, message count]`; the server answers with that many
///   `streamMessagePayloadBytes` messages `[2, index]`, index counting from 0.
enum RawProtocol {
  /// Payload bytes of a request (plus the 4-byte length prefix on the wire).
  static let requestPayloadBytes = 100
  /// Payload bytes of a ping response.
  static let responsePayloadBytes = 300
  /// Payload bytes of one server-stream message: "small messages".
  static let streamMessagePayloadBytes = 32
  /// The largest payload either side accepts.
  static let maximumPayloadBytes = 64 * 1024
  /// Operation byte plus the 64-bit value.
  static let headerBytes = 9

  static let pingOperation: UInt8 = 1
  static let streamOperation: UInt8 = 2
  static let filler: UInt8 = 0x5A

  /// Fills `payload` with the header and filler.
  static func write(
    operation: UInt8, value: UInt64, into payload: UnsafeMutableRawBufferPointer
  ) {
    precondition(payload.count >= headerBytes)
    payload[0] = operation
    payload.storeBytes(of: value.bigEndian, toByteOffset: 1, as: UInt64.self)
    if payload.count > headerBytes {
      UnsafeMutableRawBufferPointer(rebasing: payload[headerBytes...]).initializeMemory(
        as: UInt8.self, repeating: filler)
    }
  }

  /// The operation and value of a payload; throws if it is shorter than the header.
  static func readHeader(_ payload: UnsafeRawBufferPointer) throws -> (
    operation: UInt8, value: UInt64
  ) {
    guard payload.count >= headerBytes else {
      throw BenchError.protocolViolation(
        "a raw message of \(payload.count) bytes is shorter than its \(headerBytes)-byte header")
    }
    return (payload[0], UInt64(bigEndian: payload.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
  }
}
