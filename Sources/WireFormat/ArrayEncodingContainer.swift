/// The unkeyed container of ``EncodingEngine``: writes elements back to back, bare (no keys),
/// inside the array's length-delimited payload.
struct ArrayEncodingContainer: UnkeyedEncodingContainer {
  let engine: EncodingEngine
  let frame: EncodingEngine.Frame
  /// The container's own path if it came from `nestedContainer(...)`; otherwise nil, and its
  /// path is the engine's (see `enterPath`).
  let nestedPath: [any CodingKey]?

  var codingPath: [any CodingKey] { nestedPath ?? engine.codingPath }
  private(set) var count = 0

  init(engine: EncodingEngine, frame: EncodingEngine.Frame, nestedPath: [any CodingKey]?) {
    self.engine = engine
    self.frame = frame
    self.nestedPath = nestedPath
  }

  /// Makes this array the innermost open frame again and counts one element.
  @inline(__always)
  private mutating func element() throws {
    if engine.frames.innermostID != frame.id {
      try engine.reopen(frame)
    }
    count += 1
  }

  mutating func encodeNil() throws {
    throw WireFormatError.unsupported(
      "nil elements in arrays cannot be encoded",
      path: CodingPath.render(codingPath, IndexKey(count)))
  }

  mutating func encode(_ value: Bool) throws {
    try element()
    engine.writer.writeVarint(value ? 1 : 0)
  }

  mutating func encode(_ value: String) throws {
    try element()
    engine.writer.writeString(value)
  }

  mutating func encode(_ value: Double) throws {
    try element()
    engine.writer.writeFixed64(value.bitPattern)
  }

  mutating func encode(_ value: Float) throws {
    try element()
    engine.writer.writeFixed32(value.bitPattern)
  }

  mutating func encode(_ value: Int) throws {
    try element()
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int8) throws {
    try element()
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int16) throws {
    try element()
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int32) throws {
    try element()
    engine.writer.writeZigZag(Int64(value))
  }

  mutating func encode(_ value: Int64) throws {
    try element()
    engine.writer.writeZigZag(value)
  }

  mutating func encode(_ value: UInt) throws {
    try element()
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt8) throws {
    try element()
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt16) throws {
    try element()
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt32) throws {
    try element()
    engine.writer.writeVarint(UInt64(value))
  }

  mutating func encode(_ value: UInt64) throws {
    try element()
    engine.writer.writeVarint(value)
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try element()
    do throws(WireFormatError) {
      if try engine.writeDirect(value, in: .element) {
        return
      }
    } catch {
      throw error.locating(at: CodingPath.render(codingPath, IndexKey(count - 1)))
    }
    let saved = engine.enterPath(nestedPath, IndexKey(count - 1))
    defer { engine.leavePath(saved) }
    try engine.encodeValue(value, in: .element)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    let path = codingPath + [IndexKey(count)]
    return KeyedEncodingContainer(
      MessageEncodingContainer<NestedKey>(engine: engine, frame: startNested(), nestedPath: path))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let path = codingPath + [IndexKey(count)]
    return ArrayEncodingContainer(engine: engine, frame: startNested(), nestedPath: path)
  }

  /// Opens a nested message or array as the next element; failures surface when the value finishes.
  private mutating func startNested() -> EncodingEngine.Frame {
    do {
      try element()
      return engine.startNested(key: nil)
    } catch {
      engine.fail(WireFormatError.wrapping(error, path: CodingPath.render(codingPath)))
      return .none
    }
  }

  mutating func superEncoder() -> any Encoder {
    engine.unsupportedSuperEncoder()
  }
}
