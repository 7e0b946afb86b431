/// The single value container of ``SchemaRecorder``: the type it decodes here is what the
/// enclosing type is described as (a wrapper around a `String` is a `string`).
struct RecordingValueContainer: SingleValueDecodingContainer {
  let recorder: SchemaRecorder

  var codingPath: [any CodingKey] { recorder.codingPath }

  /// False, so that `Optional`-like wrappers go on to decode (and reveal) their wrapped type.
  func decodeNil() -> Bool { false }

  private func value<T: SchemaPrimitive>(_ type: T.Type) -> T {
    recorder.recordSingle(T.schemaType)
    return T.placeholder
  }

  func decode(_ type: Bool.Type) throws -> Bool { value(type) }
  func decode(_ type: String.Type) throws -> String { value(type) }
  func decode(_ type: Double.Type) throws -> Double { value(type) }
  func decode(_ type: Float.Type) throws -> Float { value(type) }
  func decode(_ type: Int.Type) throws -> Int { value(type) }
  func decode(_ type: Int8.Type) throws -> Int8 { value(type) }
  func decode(_ type: Int16.Type) throws -> Int16 { value(type) }
  func decode(_ type: Int32.Type) throws -> Int32 { value(type) }
  func decode(_ type: Int64.Type) throws -> Int64 { value(type) }
  func decode(_ type: UInt.Type) throws -> UInt { value(type) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { value(type) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { value(type) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { value(type) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { value(type) }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (fieldType, value) = try recorder.builder.describe(T.self, needsValue: true, path: codingPath)
    recorder.recordSingle(fieldType)
    guard let value else {
      throw WireFormatError.unsupported("no placeholder value for \(T.self)", path: CodingPath.render(codingPath))
    }
    return value
  }
}
