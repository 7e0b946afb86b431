/// The unkeyed container of ``DecodingEngine``: reads bare elements one after another from an
/// array's payload, as the element type dictates.
///
/// `count` is nil: the payload holds no element count, only elements. Arrays longer than
/// `limits.maxContainerCount` fail with `containerLimitExceeded`; `nil` elements do not exist in
/// the encoding, so `decodeNil()` is always false.
struct ArrayDecodingContainer: UnkeyedDecodingContainer {
  let engine: DecodingEngine
  /// The container's own path if it came from `nestedContainer(...)`; otherwise nil, and its
  /// path is the engine's (see `enterPath`).
  let nestedPath: [any CodingKey]?

  var codingPath: [any CodingKey] { nestedPath ?? engine.codingPath }
  private var position: Int
  private let end: Int
  private(set) var currentIndex = 0

  init(engine: DecodingEngine, payload: Range<Int>, nestedPath: [any CodingKey]?) {
    self.engine = engine
    self.nestedPath = nestedPath
    self.position = payload.lowerBound
    self.end = payload.upperBound
  }

  var count: Int? { nil }

  var isAtEnd: Bool { position >= end }

  private var elementPath: String {
    CodingPath.render(codingPath, IndexKey(currentIndex))
  }

  /// Checks there is another element within the limits.
  private func next() throws {
    guard !isAtEnd else {
      throw WireFormatError.truncatedInput(path: elementPath)
    }
    guard currentIndex < engine.limits.maxContainerCount else {
      throw WireFormatError.containerLimitExceeded(
        limit: engine.limits.maxContainerCount, path: CodingPath.render(codingPath))
    }
  }

  /// Reads one bare scalar element with `body` and moves past it.
  @inline(__always)
  private mutating func scalar<T>(_ body: (inout WireReader) throws(WireFormatError) -> T) throws -> T {
    try next()
    var reader = WireReader(engine.bytes, from: position, to: end)
    do throws(WireFormatError) {
      let value = try body(&reader)
      position = reader.position
      currentIndex += 1
      return value
    } catch {
      throw error.locating(at: elementPath)
    }
  }

  mutating func decodeNil() throws -> Bool { false }

  mutating func decode(_ type: Bool.Type) throws -> Bool {
    try scalar { reader throws(WireFormatError) in try ScalarDecoding.bool(reader.readVarint()) }
  }

  mutating func decode(_ type: String.Type) throws -> String {
    try scalar { reader throws(WireFormatError) in
      try ScalarDecoding.string(reader.bytes, reader.readLengthDelimited())
    }
  }

  mutating func decode(_ type: Double.Type) throws -> Double {
    try scalar { reader throws(WireFormatError) in Double(bitPattern: try reader.readFixed64()) }
  }

  mutating func decode(_ type: Float.Type) throws -> Float {
    try scalar { reader throws(WireFormatError) in Float(bitPattern: try reader.readFixed32()) }
  }

  mutating func decode(_ type: Int.Type) throws -> Int { try signed() }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try signed() }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try signed() }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try signed() }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try signed() }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try unsigned() }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try unsigned() }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try unsigned() }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try unsigned() }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try unsigned() }

  // Inlined so each caller gets `I(exactly:)` for its concrete type: the generic (or
  // merged) version converts through witness tables and costs more than the read.
  @inline(__always)
  private mutating func signed<I: FixedWidthInteger & SignedInteger>() throws -> I {
    try scalar { reader throws(WireFormatError) in try ScalarDecoding.signed(reader.readVarint(), as: I.self) }
  }

  // Inlined so each caller gets `I(exactly:)` for its concrete type: the generic (or
  // merged) version converts through witness tables and costs more than the read.
  @inline(__always)
  private mutating func unsigned<I: FixedWidthInteger & UnsignedInteger>() throws -> I {
    try scalar { reader throws(WireFormatError) in try ScalarDecoding.unsigned(reader.readVarint(), as: I.self) }
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try next()
    let saved = engine.enterPath(nestedPath, IndexKey(currentIndex))
    defer { engine.leavePath(saved) }
    let value = try engine.decodeElement(T.self, in: position..<end, end: &position)
    currentIndex += 1
    return value
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type
  ) throws -> KeyedDecodingContainer<NestedKey> {
    let path = codingPath + [IndexKey(currentIndex)]
    let payload = try nestedPayload()
    let run: Range<Int>
    do throws(WireFormatError) {
      run = try engine.indexFields(payload)
    } catch {
      throw error.locating(at: CodingPath.render(path))
    }
    return KeyedDecodingContainer(
      MessageDecodingContainer<NestedKey>(engine: engine, run: run, nestedPath: path))
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let path = codingPath + [IndexKey(currentIndex)]
    return ArrayDecodingContainer(engine: engine, payload: try nestedPayload(), nestedPath: path)
  }

  /// Reads the next element as a length-delimited payload.
  private mutating func nestedPayload() throws -> Range<Int> {
    try scalar { reader throws(WireFormatError) in try reader.readLengthDelimited() }
  }

  mutating func superDecoder() throws -> any Decoder {
    throw DecodingEngine.unsupportedSuperDecoder(path: elementPath)
  }
}
