/// The keyed container of ``SchemaRecorder``: every `decode` records a required field,
/// every `decodeIfPresent` an optional one, and returns a placeholder (or nil).
struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let recorder: SchemaRecorder

  var codingPath: [any CodingKey] { recorder.codingPath }

  /// Empty: a schema has no instance whose keys could be listed.
  var allKeys: [Key] { [] }

  /// Always true, so that code which checks before decoding still reveals its fields.
  func contains(_ key: Key) -> Bool { true }

  func decodeNil(forKey key: Key) throws -> Bool { false }

  private func record(_ key: Key, _ type: FieldType, optional: Bool) throws {
    if let number = key.intValue, number < 1 || number > Varint.maxFieldNumber {
      throw WireFormatError.invalidFieldNumber(number, path: CodingPath.render(codingPath, key))
    }
    recorder.record(FieldSchema(name: key.stringValue, number: key.intValue, type: type, optional: optional))
  }

  private func required<T: SchemaPrimitive>(_ type: T.Type, _ key: Key) throws -> T {
    try record(key, T.schemaType, optional: false)
    return T.placeholder
  }

  private func optional<T: SchemaPrimitive>(_ type: T.Type, _ key: Key) throws -> T? {
    try record(key, T.schemaType, optional: true)
    return nil
  }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, key) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, key) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(type, key) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(type, key) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(type, key) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(type, key) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(type, key) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, key) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(type, key) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(type, key) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(type, key) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(type, key) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(type, key) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(type, key) }

  func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
  func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
  func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
  func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
  func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
  func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
  func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
  func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
  func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
  func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
  func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
  func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
  func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
  func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let path = codingPath + [key]
    // `decode(Int?.self, forKey:)` written out by hand still declares an optional field.
    let isOptional = T.self is any OptionalMarker.Type
    let (fieldType, value) = try recorder.builder.describe(T.self, needsValue: !isOptional, path: path)
    try record(key, fieldType, optional: isOptional)
    guard let value else {
      throw WireFormatError.unsupported("no placeholder value for \(T.self)", path: CodingPath.render(path))
    }
    return value
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    let fieldType = try recorder.builder.describe(T.self, needsValue: false, path: codingPath + [key]).type
    try record(key, fieldType, optional: true)
    return nil
  }

  func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type, forKey key: Key
  ) throws -> KeyedDecodingContainer<NestedKey> {
    throw SchemaRecorder.unsupportedNesting(path: codingPath + [key])
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    throw SchemaRecorder.unsupportedNesting(path: codingPath + [key])
  }

  func superDecoder() throws -> any Decoder {
    throw SchemaRecorder.unsupportedNesting(path: codingPath)
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    throw SchemaRecorder.unsupportedNesting(path: codingPath + [key])
  }
}
