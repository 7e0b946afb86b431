/// The single-value container of ``DecodingEngine``: reads one scalar from the engine's current
/// slot (a field, a bare element, or the top-level value), or passes a nested type through to it.
///
/// `decodeNil()` is always false: absent fields never reach a container, and arrays have no
/// `nil` elements.
struct ValueDecodingContainer: SingleValueDecodingContainer {
  let engine: DecodingEngine

  var codingPath: [any CodingKey] { engine.codingPath }

  @inline(__always)
  private func located<T>(_ body: () throws(WireFormatError) -> T) throws -> T {
    do throws(WireFormatError) {
      return try body()
    } catch {
      throw error.locating(at: CodingPath.render(codingPath))
    }
  }

  func decodeNil() -> Bool { false }

  func decode(_ type: Bool.Type) throws -> Bool {
    try located { () throws(WireFormatError) in try ScalarDecoding.bool(engine.readVarint()) }
  }

  func decode(_ type: String.Type) throws -> String {
    try located { () throws(WireFormatError) in
      try ScalarDecoding.string(engine.bytes, engine.readLengthDelimited())
    }
  }

  func decode(_ type: Double.Type) throws -> Double {
    try located { () throws(WireFormatError) in Double(bitPattern: try engine.readFixed64()) }
  }

  func decode(_ type: Float.Type) throws -> Float {
    try located { () throws(WireFormatError) in Float(bitPattern: try engine.readFixed32()) }
  }

  func decode(_ type: Int.Type) throws -> Int { try signed() }
  func decode(_ type: Int8.Type) throws -> Int8 { try signed() }
  func decode(_ type: Int16.Type) throws -> Int16 { try signed() }
  func decode(_ type: Int32.Type) throws -> Int32 { try signed() }
  func decode(_ type: Int64.Type) throws -> Int64 { try signed() }
  func decode(_ type: UInt.Type) throws -> UInt { try unsigned() }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try unsigned() }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try unsigned() }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try unsigned() }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try unsigned() }

  // Inlined so each caller gets `I(exactly:)` for its concrete type: the generic (or
  // merged) version converts through witness tables and costs more than the read.
  @inline(__always)
  private func signed<I: FixedWidthInteger & SignedInteger>() throws -> I {
    try located { () throws(WireFormatError) in try ScalarDecoding.signed(engine.readVarint(), as: I.self) }
  }

  // Inlined so each caller gets `I(exactly:)` for its concrete type: the generic (or
  // merged) version converts through witness tables and costs more than the read.
  @inline(__always)
  private func unsigned<I: FixedWidthInteger & UnsignedInteger>() throws -> I {
    try located { () throws(WireFormatError) in try ScalarDecoding.unsigned(engine.readVarint(), as: I.self) }
  }

  /// Decodes `T` from the same slot, as a transparent wrapper around it.
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try engine.decodeInPlace(T.self)
  }
}
