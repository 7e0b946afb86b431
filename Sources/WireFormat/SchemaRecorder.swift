/// The `Decoder` schema extraction runs one type's `init(from:)` against: it hands out
/// recording containers and remembers what the type asked for.
final class SchemaRecorder: Decoder {
  /// What the type asked for.
  enum Shape {
    case none
    case message
    /// An unkeyed container, with the type of the first element decoded from it.
    case array(FieldType?)
    /// A single value container, with the type decoded from it.
    case single(FieldType?)

    var isArray: Bool {
      if case .array = self { true } else { false }
    }
  }

  let builder: SchemaBuilder
  let codingPath: [any CodingKey]
  private(set) var shape = Shape.none
  /// The fields of a message, in the order decoded; a name decoded twice is kept once.
  private(set) var fields: [FieldSchema] = []

  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(builder: SchemaBuilder, codingPath: [any CodingKey]) {
    self.builder = builder
    self.codingPath = codingPath
  }

  func record(_ field: FieldSchema) {
    if !fields.contains(where: { $0.name == field.name }) {
      fields.append(field)
    }
  }

  func recordElement(_ type: FieldType) {
    if case .array(nil) = shape {
      shape = .array(type)
    }
  }

  func recordSingle(_ type: FieldType) {
    if case .single(nil) = shape {
      shape = .single(type)
    }
  }

  private func start(_ requested: Shape) throws {
    switch (shape, requested) {
    case (.none, _):
      shape = requested
    case (.message, .message), (.array, .array), (.single, .single):
      break
    default:
      throw WireFormatError.unsupported(
        "a type asked for two different kinds of container", path: CodingPath.render(codingPath))
    }
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    try start(.message)
    return KeyedDecodingContainer(RecordingKeyedContainer<Key>(recorder: self))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try start(.array(nil))
    return RecordingUnkeyedContainer(recorder: self)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    try start(.single(nil))
    return RecordingValueContainer(recorder: self)
  }

  static func unsupportedNesting(path: [any CodingKey]) -> WireFormatError {
    .unsupported(
      "schema extraction does not support nested containers or superDecoder()",
      path: CodingPath.render(path))
  }
}
