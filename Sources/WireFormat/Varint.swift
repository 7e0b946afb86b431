/// LEB128 and zig-zag arithmetic shared by the writer, the reader and the JSON transcoder.
package enum Varint {
  /// The longest varint a reader accepts: ten groups of seven bits cover 64 bits.
  static let maxLength = 10

  /// The largest field number a key can carry (2^29 - 1), as in protobuf.
  static let maxFieldNumber = (1 << 29) - 1

  /// Maps signed integers to unsigned ones so that small magnitudes stay short: 0, -1, 1, -2 → 0, 1, 2, 3.
  @inline(__always)
  package static func zigZag(_ value: Int64) -> UInt64 {
    UInt64(bitPattern: (value << 1) ^ (value >> 63))
  }

  /// The inverse of `zigZag(_:)`; total, so any 64-bit pattern decodes.
  @inline(__always)
  package static func unZigZag(_ value: UInt64) -> Int64 {
    Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
  }

  /// How many bytes `value` takes as a varint (1...10).
  @inline(__always)
  static func encodedLength(_ value: UInt64) -> Int {
    // Each byte carries seven bits; zero still takes one byte.
    let bits = 64 - (value | 1).leadingZeroBitCount
    return (bits + 6) / 7
  }
}
