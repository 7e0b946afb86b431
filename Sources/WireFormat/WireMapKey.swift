/// A `Dictionary` key type the encoding writes as a map: `String` or a fixed-width integer.
///
/// Keys are written bare (no field key) and map entries are sorted with `precedesOnWire` so that
/// equal dictionaries encode to equal bytes: strings by their UTF-8 bytes, integers numerically.
protocol WireMapKey: SchemaPrimitive, Hashable, Sendable, CustomStringConvertible {
  static func precedesOnWire(_ lhs: Self, _ rhs: Self) -> Bool

  func writeBare(to writer: inout WireWriter)

  /// - Throws: `valueOutOfRange` when the number does not fit the key type, `invalidUTF8`, or a read error.
  static func readBare(from reader: inout WireReader) throws(WireFormatError) -> Self
}

extension WireMapKey where Self: FixedWidthInteger {
  static func precedesOnWire(_ lhs: Self, _ rhs: Self) -> Bool { lhs < rhs }
}

extension WireMapKey where Self: FixedWidthInteger & SignedInteger {
  func writeBare(to writer: inout WireWriter) {
    writer.writeZigZag(Int64(self))
  }

  static func readBare(from reader: inout WireReader) throws(WireFormatError) -> Self {
    try ScalarDecoding.signed(reader.readVarint(), as: Self.self)
  }
}

extension WireMapKey where Self: FixedWidthInteger & UnsignedInteger {
  func writeBare(to writer: inout WireWriter) {
    writer.writeVarint(UInt64(self))
  }

  static func readBare(from reader: inout WireReader) throws(WireFormatError) -> Self {
    try ScalarDecoding.unsigned(reader.readVarint(), as: Self.self)
  }
}
