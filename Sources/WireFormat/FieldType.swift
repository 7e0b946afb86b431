/// The type of a field in a schema, as the reflection service and JSON transcoding see it.
///
/// A `FieldType` is written as a type string (its ``description``), which is also its Codable
/// form:
///
/// | Swift type | type string |
/// |---|---|
/// | `Bool` | `bool` |
/// | `Int8` … `Int64`, `Int` | `int8` … `int64`, `int64` |
/// | `UInt8` … `UInt64`, `UInt` | `uint8` … `uint64`, `uint64` |
/// | `Float`, `Double` | `float`, `double` |
/// | `String`, `Data` | `string`, `bytes` |
/// | `Date`, `UUID` | `timestamp`, `uuid` |
/// | a ``WireEnum`` or a message | its name, e.g. `Health.CheckRequest` |
/// | `[T]` | `[T]` |
/// | `[K: V]` | `{K:V}` |
///
/// Enum and message names look alike in a type string, so ``init(parsing:)`` reads a name as
/// ``message(_:)``; decoding a ``SchemaSet`` turns the names of its enums into
/// ``enumeration(_:)``.
public indirect enum FieldType: Sendable, Hashable, Codable, CustomStringConvertible {
  case bool
  case int8, int16, int32, int64
  case uint8, uint16, uint32, uint64
  case float, double
  case string, bytes
  /// A `Date`, as microseconds since 1970-01-01T00:00:00Z.
  case timestamp
  case uuid
  /// A ``WireEnum``, by name.
  case enumeration(String)
  /// A message, by name.
  case message(String)
  case array(FieldType)
  /// A dictionary; `key` is `.string` or an integer type.
  case map(key: FieldType, value: FieldType)

  public var description: String {
    switch self {
    case .bool: "bool"
    case .int8: "int8"
    case .int16: "int16"
    case .int32: "int32"
    case .int64: "int64"
    case .uint8: "uint8"
    case .uint16: "uint16"
    case .uint32: "uint32"
    case .uint64: "uint64"
    case .float: "float"
    case .double: "double"
    case .string: "string"
    case .bytes: "bytes"
    case .timestamp: "timestamp"
    case .uuid: "uuid"
    case .enumeration(let name), .message(let name): name
    case .array(let element): "[\(element)]"
    case .map(let key, let value): "{\(key):\(value)}"
    }
  }

  /// Decodes the type string; a string that does not parse is a `DecodingError.dataCorrupted`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      self = try FieldType(parsing: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
