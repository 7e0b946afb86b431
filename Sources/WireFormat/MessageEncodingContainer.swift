/// The keyed container of ``EncodingEngine``: writes each field as key then value.
///
/// Scalars go straight to the writer; other values go through `EncodingEngine.encodeValue`, which
/// writes the key once the value has chosen its wire type. `nil` fields are left out.
struct MessageEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let engine: EncodingEngine
  let frame: EncodingEngine.Frame
  /// The container's own path if it came from `nestedContainer(...)`; otherwise nil, and its
  /// path is the engine's (see `enterPath`).
  let nestedPath: [any CodingKey]?

  var codingPath: [any CodingKey] { nestedPath ?? engine.codingPath }

  /// Makes this container's message the innermost open one again.
  @inline(__always)
  private func enter() throws {
    if engine.frames.innermostID != frame.id {
      try engine.reopen(frame)
    }
  }

  @inline(__always)
  private func writeKey(_ key: Key, _ wireType: WireType) throws {
    try enter()
    if let number = key.intValue, number > 0, number <= Varint.maxFieldNumber {
      engine.writer.writeKey(number: number, wireType)
    } else {
      engine.writer.writeKey(try fieldKey(key), wireType)
    }
  }

  private func fieldKey(_ key: Key) throws(WireFormatError) -> FieldKey {
    try FieldKey(key, path: CodingPath.render(codingPath, key))
  }

  mutating func encodeNil(forKey key: Key) throws {
    try enter()
  }

  mutating func encode(_ value: Bool, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeVarint(value ? 1 : 0)
  }

  mutating func encode(_ value: String, forKey key: Key) throws {
    try writeKey(key, .lengthDelimited)
    engine.writer.writeString(value)
  }

  mutating func encode(_ value: Double, forKey key: Key) throws {
    try writeKey(key, .fixed64)
    engine.writer.writeFixed64(value.bitPattern)
  }

  mutating func encode(_ value: Float, forKey key: Key) throws {
    try writeKey(key, .fixed32)
    engine.writer.writeFixed32(value.bitPattern)
  }

  mutating func encode(_ value: Int, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int8, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int16, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int32, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int64, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeZigZag(value)
  }

  mutating func encode(_ value: UInt, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt8, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt16, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt32, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt64, forKey key: Key) throws {
    try writeKey(key, .varint)
    engine.writer.writeVarint(value)
  }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try enter()
    let field = try fieldKey(key)
    do throws(WireFormatError) {
      if try engine.writeDirect(value, in: .field(field)) {
        return
      }
    } catch {
      throw error.locating(at: CodingPath.render(codingPath, key))
    }
    let saved = engine.enterPath(nestedPath, key)
    defer { engine.leavePath(saved) }
    try engine.encodeValue(value, in: .field(field))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    KeyedEncodingContainer(
      MessageEncodingContainer<NestedKey>(
        engine: engine, frame: startNested(key), nestedPath: codingPath + [key]))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    ArrayEncodingContainer(engine: engine, frame: startNested(key), nestedPath: codingPath + [key])
  }

  /// Opens a nested message or array under `key`; failures surface when the value finishes.
  private func startNested(_ key: Key) -> EncodingEngine.Frame {
    do {
      try enter()
      return engine.startNested(key: try fieldKey(key))
    } catch {
      engine.fail(WireFormatError.wrapping(error, path: CodingPath.render(codingPath, key)))
      return .none
    }
  }

  mutating func superEncoder() -> any Encoder {
    engine.unsupportedSuperEncoder()
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    engine.unsupportedSuperEncoder()
  }
}
