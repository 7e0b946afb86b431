/// The single-value container of ``EncodingEngine``: writes one scalar in the engine's current
/// slot (with a key for a field, bare for elements and the top level), or passes a nested value
/// through to that slot unchanged.
struct ValueEncodingContainer: SingleValueEncodingContainer {
  let engine: EncodingEngine

  var codingPath: [any CodingKey] { engine.codingPath }

  /// Writes the key the scalar needs and marks the slot as used.
  @inline(__always)
  private func begin(_ wireType: WireType) throws {
    switch engine.slot {
    case .field(let key):
      engine.writer.writeKey(key, wireType)
    case .element, .topLevel:
      break
    case .started:
      throw alreadyUsed()
    }
    engine.slot = .started(.single, .none)
  }

  private func alreadyUsed() -> WireFormatError {
    .unsupported(
      "a single value container holds one value and the value already has one",
      path: CodingPath.render(codingPath))
  }

  /// A nil field is left out; nil array elements and a nil top-level value cannot be encoded.
  mutating func encodeNil() throws {
    switch engine.slot {
    case .field:
      engine.slot = .started(.single, .none)
    case .element:
      throw WireFormatError.unsupported(
        "nil elements in arrays cannot be encoded", path: CodingPath.render(codingPath))
    case .topLevel:
      throw WireFormatError.unsupported("a top-level nil cannot be encoded")
    case .started:
      throw alreadyUsed()
    }
  }

  mutating func encode(_ value: Bool) throws {
    try begin(.varint)
    engine.writer.writeVarint(value ? 1 : 0)
  }

  mutating func encode(_ value: String) throws {
    try begin(.lengthDelimited)
    engine.writer.writeString(value)
  }

  mutating func encode(_ value: Double) throws {
    try begin(.fixed64)
    engine.writer.writeFixed64(value.bitPattern)
  }

  mutating func encode(_ value: Float) throws {
    try begin(.fixed32)
    engine.writer.writeFixed32(value.bitPattern)
  }

  mutating func encode(_ value: Int) throws {
    try begin(.varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int8) throws {
    try begin(.varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int16) throws {
    try begin(.varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int32) throws {
    try begin(.varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int64) throws {
    try begin(.varint)
    engine.writer.writeZigZag(value)
  }

  mutating func encode(_ value: UInt) throws {
    try begin(.varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt8) throws {
    try begin(.varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt16) throws {
    try begin(.varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt32) throws {
    try begin(.varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt64) throws {
    try begin(.varint)
    engine.writer.writeVarint(value)
  }

  /// Encodes `value` as if it were the value that owns this container (a transparent wrapper).
  mutating func encode<T: Encodable>(_ value: T) throws {
    let slot = engine.slot
    if case .started = slot {
      throw alreadyUsed()
    }
    try engine.encodeValue(value, in: slot)
    engine.slot = .started(.single, .none)
  }
}
