/// Length-prefixed framing: a 4-byte big-endian payload length, then the payload.
extension ByteQueue {
  /// Bytes of the length prefix.
  static let lengthPrefixBytes = 4

  /// Hands the payload of the first complete frame to `body`, then consumes the frame.
  ///
  /// Returns nil, consuming nothing, while the frame is incomplete, so partial and coalesced
  /// reads need no special handling. Throws when the announced length exceeds `maximumPayload`
  /// (checked before the payload arrives). `body` must not touch this queue.
  mutating func nextFrame<Result>(
    maximumPayload: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result? {
    let frame: (Result, Int)? = try withReadableBytes { bytes in
      guard bytes.count >= Self.lengthPrefixBytes else { return nil }
      let length = Int(UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)))
      guard length <= maximumPayload else {
        throw BenchError.protocolViolation(
          "a frame announces \(length) payload bytes; the limit is \(maximumPayload)")
      }
      let end = Self.lengthPrefixBytes + length
      guard bytes.count >= end else { return nil }
      let payload = UnsafeRawBufferPointer(rebasing: bytes[Self.lengthPrefixBytes..<end])
      return (try body(payload), end)
    }
    guard let (result, frameBytes) = frame else { return nil }
    consume(frameBytes)
    return result
  }

  /// Appends one frame whose `payloadCount` payload bytes `body` writes.
  mutating func appendFrame(
    payloadCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void
  ) throws {
    precondition(payloadCount >= 0 && payloadCount <= Int(UInt32.max))
    try append(byteCount: Self.lengthPrefixBytes + payloadCount) { frame in
      frame.storeBytes(
        of: UInt32(payloadCount).bigEndian, toByteOffset: 0, as: UInt32.self)
      try body(UnsafeMutableRawBufferPointer(rebasing: frame[Self.lengthPrefixBytes...]))
    }
  }
}
