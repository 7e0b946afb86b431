/// Reads wire-format primitives from a bounded region of the input, checking every length
/// against the bytes that remain before touching them.
///
/// Errors it throws carry no coding path; the engine that knows where it is fills that in.
package struct WireReader {
  package let bytes: ArraySlice<UInt8>
  package private(set) var position: Int
  package let end: Int

  /// A reader over `bytes[position..<end]`; both bounds must lie within `bytes.indices`.
  package init(_ bytes: ArraySlice<UInt8>, from position: Int, to end: Int) {
    self.bytes = bytes
    self.position = position
    self.end = end
  }

  package var isAtEnd: Bool { position >= end }

  /// Reads a LEB128 varint of at most 10 bytes; non-minimal encodings are accepted.
  ///
  /// - Throws: `truncatedInput` if the region ends inside the varint, `malformedVarint` if it
  ///   runs longer than 10 bytes or its tenth byte carries more than the 64th bit.
  package mutating func readVarint() throws(WireFormatError) -> UInt64 {
    var index = position
    guard index < end else { throw .truncatedInput() }
    let first = bytes[index]
    if first < 0x80 {
      position = index + 1
      return UInt64(first)
    }
    var result = UInt64(first & 0x7F)
    var shift: UInt64 = 7
    index += 1
    while true {
      guard index < end else { throw .truncatedInput() }
      let byte = bytes[index]
      index += 1
      // The tenth byte (shift 63) may only hold the top bit and must end the varint.
      if shift == 63, byte > 1 { throw .malformedVarint() }
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 {
        position = index
        return result
      }
      shift += 7
    }
  }

  mutating func readFixed32() throws(WireFormatError) -> UInt32 {
    guard end - position >= 4 else { throw .truncatedInput() }
    var value: UInt32 = 0
    for offset in 0..<4 {
      value |= UInt32(bytes[position + offset]) << (8 * offset)
    }
    position += 4
    return value
  }

  mutating func readFixed64() throws(WireFormatError) -> UInt64 {
    guard end - position >= 8 else { throw .truncatedInput() }
    var value: UInt64 = 0
    for offset in 0..<8 {
      value |= UInt64(bytes[position + offset]) << (8 * offset)
    }
    position += 8
    return value
  }

  /// Reads a varint length and returns the range of the payload after it, which it skips.
  package mutating func readLengthDelimited() throws(WireFormatError) -> Range<Int> {
    let length = try readVarint()
    guard length <= UInt64(end - position) else { throw .truncatedInput() }
    let start = position
    position += Int(length)
    return start..<position
  }

  /// The bytes at `range` of the input as a string, or nil when they are not valid UTF-8.
  /// `range` must lie within the input, as the ranges this reader returns do.
  package func string(at range: Range<Int>) -> String? {
    bytes[range].withUnsafeBufferPointer { buffer -> String? in
      UTF8Validation.isValid(buffer) ? String(decoding: buffer, as: UTF8.self) : nil
    }
  }

  /// Reads a key and splits it into field number and wire type.
  ///
  /// - Throws: `malformedInput` for wire types 3, 4, 6, 7 and field numbers above 2^29-1.
  package mutating func readKey() throws(WireFormatError) -> (number: Int, wireType: WireType) {
    let key = try readVarint()
    guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: key & 7)) else {
      throw .malformedInput("undefined wire type \(key & 7)")
    }
    let number = key >> 3
    guard number <= UInt64(Varint.maxFieldNumber) else {
      throw .malformedInput("field number \(number) above \(Varint.maxFieldNumber)")
    }
    return (Int(number), wireType)
  }

  /// Skips one value of `wireType`, returning the range it occupied (the payload, for length-delimited).
  package mutating func skipValue(_ wireType: WireType) throws(WireFormatError) -> Range<Int> {
    let start = position
    switch wireType {
    case .varint: _ = try readVarint()
    case .fixed32: _ = try readFixed32()
    case .fixed64: _ = try readFixed64()
    case .lengthDelimited: return try readLengthDelimited()
    }
    return start..<position
  }
}
