/// The unkeyed container of ``SchemaRecorder``, for collection types other than `Array` (which
/// is recognised by type): it offers exactly one element, whose type becomes the element type.
struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
  let recorder: SchemaRecorder
  private(set) var currentIndex = 0

  init(recorder: SchemaRecorder) {
    self.recorder = recorder
  }

  var codingPath: [any CodingKey] { recorder.codingPath }

  var count: Int? { nil }

  var isAtEnd: Bool { currentIndex > 0 }

  mutating func decodeNil() throws -> Bool { false }

  private mutating func element<T: SchemaPrimitive>(_ type: T.Type) -> T {
    recorder.recordElement(T.schemaType)
    currentIndex += 1
    return T.placeholder
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool { element(type) }
  mutating func decode(_ type: String.Type) throws -> String { element(type) }
  mutating func decode(_ type: Double.Type) throws -> Double { element(type) }
  mutating func decode(_ type: Float.Type) throws -> Float { element(type) }
  mutating func decode(_ type: Int.Type) throws -> Int { element(type) }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { element(type) }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { element(type) }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { element(type) }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { element(type) }
  mutating func decode(_ type: UInt.Type) throws -> UInt { element(type) }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { element(type) }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { element(type) }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { element(type) }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { element(type) }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let path = codingPath + [IndexKey(currentIndex)]
    let (fieldType, value) = try recorder.builder.describe(T.self, needsValue: true, path: path)
    recorder.recordElement(fieldType)
    currentIndex += 1
    guard let value else {
      throw WireFormatError.unsupported("no placeholder value for \(T.self)", path: CodingPath.render(path))
    }
    return value
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type
  ) throws -> KeyedDecodingContainer<NestedKey> {
    throw SchemaRecorder.unsupportedNesting(path: codingPath)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    throw SchemaRecorder.unsupportedNesting(path: codingPath)
  }

  mutating func superDecoder() throws -> any Decoder {
    throw SchemaRecorder.unsupportedNesting(path: codingPath)
  }
}
