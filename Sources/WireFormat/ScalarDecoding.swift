internal import Foundation

/// Turns raw wire values into Swift scalars, checking ranges and UTF-8; never traps.
///
/// Errors carry no coding path; callers locate them.
enum ScalarDecoding {
  static func bool(_ raw: UInt64) throws(WireFormatError) -> Bool {
    switch raw {
    case 0: return false
    case 1: return true
    default: throw .valueOutOfRange(type: "Bool", value: String(raw))
    }
  }

  /// Undoes zig-zag and narrows to `I`.
  @inline(__always)
  static func signed<I: FixedWidthInteger & SignedInteger>(
    _ raw: UInt64, as type: I.Type
  ) throws(WireFormatError) -> I {
    let value = Varint.unZigZag(raw)
    guard let result = I(exactly: value) else {
      throw .valueOutOfRange(type: String(describing: I.self), value: String(value))
    }
    return result
  }

  @inline(__always)
  static func unsigned<I: FixedWidthInteger & UnsignedInteger>(
    _ raw: UInt64, as type: I.Type
  ) throws(WireFormatError) -> I {
    guard let result = I(exactly: raw) else {
      throw .valueOutOfRange(type: String(describing: I.self), value: String(raw))
    }
    return result
  }

  static func string(_ bytes: ArraySlice<UInt8>, _ range: Range<Int>) throws(WireFormatError) -> String {
    let string = bytes[range].withUnsafeBufferPointer { buffer -> String? in
      UTF8Validation.isValid(buffer) ? String(decoding: buffer, as: UTF8.self) : nil
    }
    guard let string else {
      throw .invalidUTF8()
    }
    return string
  }

  /// One bulk copy; `Data(bytes[range])` would go through the generic sequence initialiser.
  static func data(_ bytes: ArraySlice<UInt8>, _ range: Range<Int>) -> Data {
    bytes[range].withUnsafeBytes { Data($0) }
  }

  static func uuid(_ bytes: ArraySlice<UInt8>, _ range: Range<Int>) throws(WireFormatError) -> UUID {
    guard range.count == 16 else {
      throw .malformedInput("a UUID must be 16 bytes, found \(range.count)")
    }
    let b = range.lowerBound
    return UUID(uuid: (
      bytes[b], bytes[b + 1], bytes[b + 2], bytes[b + 3], bytes[b + 4], bytes[b + 5],
      bytes[b + 6], bytes[b + 7], bytes[b + 8], bytes[b + 9], bytes[b + 10], bytes[b + 11],
      bytes[b + 12], bytes[b + 13], bytes[b + 14], bytes[b + 15]))
  }

  /// A zig-zag count of microseconds since 1970-01-01T00:00:00Z.
  static func date(_ raw: UInt64) -> Date {
    Date(timeIntervalSince1970: Double(Varint.unZigZag(raw)) / 1e6)
  }
}
