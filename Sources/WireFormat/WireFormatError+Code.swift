extension WireFormatError {
  /// The kind of a ``WireFormatError``; new codes may be added, so `switch` needs a `default`.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: String, Hashable, Sendable {
      case truncatedInput = "truncated input"
      case malformedVarint = "malformed varint"
      case malformedInput = "malformed input"
      case wrongWireType = "wrong wire type"
      case missingRequiredField = "missing required field"
      case invalidUTF8 = "invalid UTF-8"
      case depthLimitExceeded = "depth limit exceeded"
      case containerLimitExceeded = "container count limit exceeded"
      case unknownEnumValue = "unknown enum value"
      case valueOutOfRange = "value out of range"
      case unsupported = "unsupported"
      case invalidFieldNumber = "invalid field number"
      case invalidValue = "invalid value"
      case invalidJSON = "invalid JSON"
      case unknownField = "unknown field"
      case typeMismatch = "type mismatch"
      case unknownType = "unknown type"
    }

    private let wrapped: Wrapped

    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    public var description: String { wrapped.rawValue }

    /// A length, a fixed-width value or a varint runs past the end of the input.
    public static let truncatedInput = Self(.truncatedInput)
    /// A varint longer than 10 bytes or wider than 64 bits.
    public static let malformedVarint = Self(.malformedVarint)
    /// Structurally invalid bytes: an undefined wire type, a field number out of range, a UUID
    /// that is not 16 bytes, trailing bytes after a top-level value.
    public static let malformedInput = Self(.malformedInput)
    /// A field's wire type does not match the type the reader expects.
    public static let wrongWireType = Self(.wrongWireType)
    /// A non-optional field is absent; the error names its path and field number.
    public static let missingRequiredField = Self(.missingRequiredField)
    /// A string field holds bytes that are not valid UTF-8.
    public static let invalidUTF8 = Self(.invalidUTF8)
    /// Messages, arrays and maps nest deeper than ``BinaryDecoder/Limits/maxDepth``.
    public static let depthLimitExceeded = Self(.depthLimitExceeded)
    /// An array, map or message has more elements than ``BinaryDecoder/Limits/maxContainerCount``.
    public static let containerLimitExceeded = Self(.containerLimitExceeded)
    /// A ``WireEnum`` raw value that names no case.
    public static let unknownEnumValue = Self(.unknownEnumValue)
    /// A number that does not fit the Swift type (or a `Bool` other than 0 and 1).
    public static let valueOutOfRange = Self(.valueOutOfRange)
    /// A Codable construct the encoding cannot express, such as `nil` array elements or `superEncoder()`.
    public static let unsupported = Self(.unsupported)
    /// A `CodingKey.intValue` outside 1...2^29-1.
    public static let invalidFieldNumber = Self(.invalidFieldNumber)
    /// A value rejected by its type's own Codable implementation, or a JSON value of the right
    /// type but wrong content (a bad timestamp, base64 or UUID string, an unknown enum case name).
    public static let invalidValue = Self(.invalidValue)
    /// JSON text that does not parse.
    public static let invalidJSON = Self(.invalidJSON)
    /// A JSON field name the message schema does not have.
    public static let unknownField = Self(.unknownField)
    /// A JSON value of the wrong JSON type for the schema (a string where a number belongs).
    public static let typeMismatch = Self(.typeMismatch)
    /// A message or enum name the schema set does not contain, or a malformed type string.
    public static let unknownType = Self(.unknownType)
  }
}
