extension JSONTranscoder {
  /// A named type resolved against the schema.
  enum NamedType {
    case message(MessageSchema)
    case enumeration(EnumSchema)
  }

  /// Looks `name` up among messages and enums; `.message` and `.enumeration` names are treated
  /// alike, since a type string cannot tell them apart.
  func resolve(_ name: String, path: [String]) throws(WireFormatError) -> NamedType {
    if let message = schema.messages[name] {
      return .message(message)
    }
    if let enumeration = schema.enums[name] {
      return .enumeration(enumeration)
    }
    throw .unknownType(name, path: CodingPath.render(path))
  }

  /// How values of `type` are written after a field key.
  func wireType(of type: FieldType, path: [String]) throws(WireFormatError) -> WireType {
    switch type {
    case .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .timestamp:
      return .varint
    case .float:
      return .fixed32
    case .double:
      return .fixed64
    case .string, .bytes, .uuid, .array, .map:
      return .lengthDelimited
    case .message(let name), .enumeration(let name):
      switch try resolve(name, path: path) {
      case .message: return .lengthDelimited
      case .enumeration(let enumeration): return try wireType(of: enumeration.rawType, path: path)
      }
    }
  }
}
