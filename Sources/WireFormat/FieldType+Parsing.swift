extension FieldType {
  /// Parses a type string such as `int64`, `[Health.CheckRequest]` or `{string:[uuid]}`.
  ///
  /// A name (anything that is not a keyword, array or map) becomes ``message(_:)``. Names must
  /// be non-empty and contain no whitespace and none of `[ ] { } :`; they may contain dots.
  ///
  /// - Throws: `WireFormatError` with code `unknownType` saying what is wrong, e.g. an
  ///   unterminated `[`, a map without `:`, or a map key that is not `string` or an integer type.
  public init(parsing text: String) throws(WireFormatError) {
    self = try Self.parse(Substring(text), whole: text)
  }

  private static let keywords: [Substring: FieldType] = [
    "bool": .bool,
    "int8": .int8, "int16": .int16, "int32": .int32, "int64": .int64,
    "uint8": .uint8, "uint16": .uint16, "uint32": .uint32, "uint64": .uint64,
    "float": .float, "double": .double,
    "string": .string, "bytes": .bytes,
    "timestamp": .timestamp, "uuid": .uuid,
  ]

  private static func parse(_ text: Substring, whole: String) throws(WireFormatError) -> FieldType {
    func failure(_ reason: String) -> WireFormatError {
      .unknownType(whole + "': " + reason + " in '" + String(text))
    }
    if let keyword = keywords[text] {
      return keyword
    }
    if text.first == "[" {
      guard text.count >= 3, text.last == "]" else {
        throw failure("an array type is '[' element type ']'")
      }
      return .array(try parse(text.dropFirst().dropLast(), whole: whole))
    }
    if text.first == "{" {
      guard text.count >= 5, text.last == "}" else {
        throw failure("a map type is '{' key type ':' value type '}'")
      }
      let inner = text.dropFirst().dropLast()
      guard let colon = inner.firstIndex(of: ":") else {
        throw failure("a map type needs ':' between key and value types")
      }
      let key = try parse(inner[..<colon], whole: whole)
      guard key.isMapKey else {
        throw failure("map keys must be string or an integer type, not '\(key)'")
      }
      return .map(key: key, value: try parse(inner[inner.index(after: colon)...], whole: whole))
    }
    guard !text.isEmpty else {
      throw failure("empty type")
    }
    guard !text.contains(where: { $0.isWhitespace || "[]{}:".contains($0) }) else {
      throw failure("a type name may not contain whitespace or any of [ ] { } :")
    }
    return .message(String(text))
  }

  /// Whether this type can be a map key: `string` or an integer type.
  var isMapKey: Bool {
    self == .string || isInteger
  }

  var isInteger: Bool {
    isSignedInteger || isUnsignedInteger
  }

  var isSignedInteger: Bool {
    switch self {
    case .int8, .int16, .int32, .int64: true
    default: false
    }
  }

  var isUnsignedInteger: Bool {
    switch self {
    case .uint8, .uint16, .uint32, .uint64: true
    default: false
    }
  }
}
