/// A JSON value as the transcoder sees it: numbers keep their text, so 64-bit integers are
/// exact, and objects keep their members in order, duplicates included.
enum JSONValue {
  case null
  case bool(Bool)
  /// The number exactly as written (already checked against the JSON number grammar).
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([(key: String, value: JSONValue)])

  /// What this value is, for "expected …, found …" messages.
  var kind: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}
