/// An error from the binary encoder or decoder, schema extraction or JSON transcoding.
///
/// Every failure of this module surfaces as this one type, whatever went wrong: malformed input
/// never traps. Errors thrown by a type's own `init(from:)` or `encode(to:)` are wrapped with
/// code ``Code-swift.struct/invalidValue`` and kept in ``underlyingError``.
///
/// Match on ``code`` rather than on ``description``; the wording of descriptions may change.
///
/// ```swift
/// do {
///   _ = try BinaryDecoder().decode(Profile.self, from: bytes)
/// } catch let error as WireFormatError where error.code == .missingRequiredField {
///   print(error.codingPath)  // "profile.phones[2].number"
/// }
/// ```
public struct WireFormatError: Error, CustomStringConvertible, Sendable {
  private enum Kind: Sendable {
    case truncatedInput
    case malformedVarint
    case malformedInput(String)
    case wrongWireType(field: Int, expected: String, found: String)
    case missingRequiredField(number: Int?)
    case invalidUTF8
    case depthLimitExceeded(limit: Int)
    case containerLimitExceeded(limit: Int)
    case unknownEnumValue(type: String, rawValue: String)
    case valueOutOfRange(type: String, value: String)
    case unsupported(String)
    case invalidFieldNumber(Int)
    case invalidValue(String)
    case invalidJSON(String)
    case unknownField(String)
    case typeMismatch(expected: String, found: String)
    case unknownType(String)
  }

  private let kind: Kind

  /// Where the error happened: the dotted path of field names from the top-level value, with
  /// `[i]` for array elements and `[key]` for map values, e.g. `profile.phones[2].number`.
  /// Empty for errors about the top-level value itself.
  public internal(set) var codingPath: String

  /// The error thrown by a type's own Codable implementation, when this error wraps one.
  public let underlyingError: (any Error)?

  private init(_ kind: Kind, path: String, underlying: (any Error)? = nil) {
    self.kind = kind
    self.codingPath = path
    self.underlyingError = underlying
  }

  /// What kind of failure this is, for matching in `catch` clauses.
  public var code: Code {
    switch kind {
    case .truncatedInput: .truncatedInput
    case .malformedVarint: .malformedVarint
    case .malformedInput: .malformedInput
    case .wrongWireType: .wrongWireType
    case .missingRequiredField: .missingRequiredField
    case .invalidUTF8: .invalidUTF8
    case .depthLimitExceeded: .depthLimitExceeded
    case .containerLimitExceeded: .containerLimitExceeded
    case .unknownEnumValue: .unknownEnumValue
    case .valueOutOfRange: .valueOutOfRange
    case .unsupported: .unsupported
    case .invalidFieldNumber: .invalidFieldNumber
    case .invalidValue: .invalidValue
    case .invalidJSON: .invalidJSON
    case .unknownField: .unknownField
    case .typeMismatch: .typeMismatch
    case .unknownType: .unknownType
    }
  }

  public var description: String {
    let place = codingPath.isEmpty ? "" : " at '\(codingPath)'"
    switch kind {
    case .truncatedInput:
      return "truncated input\(place): a length or value runs past the end of the bytes"
    case .malformedVarint:
      return "malformed varint\(place): more than 10 bytes or more than 64 bits"
    case .malformedInput(let detail):
      return "malformed input\(place): \(detail)"
    case .wrongWireType(let field, let expected, let found):
      return "wrong wire type for field\(place) (field \(Self.fieldName(field))): "
        + "expected \(expected), found \(found)"
    case .missingRequiredField(let number):
      return "missing required field '\(codingPath)' (\(Self.fieldName(number)))"
    case .invalidUTF8:
      return "invalid UTF-8 in string\(place)"
    case .depthLimitExceeded(let limit):
      return "nesting depth limit of \(limit) exceeded\(place)"
    case .containerLimitExceeded(let limit):
      return "container count limit of \(limit) elements exceeded\(place)"
    case .unknownEnumValue(let type, let rawValue):
      return "unknown enum value \(rawValue) for \(type)\(place)"
    case .valueOutOfRange(let type, let value):
      return "value \(value) out of range for \(type)\(place)"
    case .unsupported(let detail):
      return "unsupported\(place): \(detail)"
    case .invalidFieldNumber(let number):
      return "invalid field number \(number)\(place): field numbers must be 1...\(Varint.maxFieldNumber)"
    case .invalidValue(let detail):
      return "invalid value\(place): \(detail)"
    case .invalidJSON(let detail):
      return "invalid JSON\(place): \(detail)"
    case .unknownField(let name):
      return "unknown field '\(name)'\(place)"
    case .typeMismatch(let expected, let found):
      return "type mismatch\(place): expected \(expected), found \(found)"
    case .unknownType(let name):
      return "unknown type '\(name)'\(place)"
    }
  }

  private static func fieldName(_ number: Int?) -> String {
    guard let number else { return "named field" }
    return number == 0 ? "named field" : "field number \(number)"
  }
}

// Internal constructors, one per kind. `path` is usually filled in by the engine that knows it.
extension WireFormatError {
  static func truncatedInput(path: String = "") -> Self { Self(.truncatedInput, path: path) }

  static func malformedVarint(path: String = "") -> Self { Self(.malformedVarint, path: path) }

  static func malformedInput(_ detail: String, path: String = "") -> Self {
    Self(.malformedInput(detail), path: path)
  }

  static func wrongWireType(
    field: Int, expected: WireType, found: WireType, path: String
  ) -> Self {
    Self(.wrongWireType(field: field, expected: expected.name, found: found.name), path: path)
  }

  static func wrongWireType(field: Int, expected: String, found: WireType, path: String) -> Self {
    Self(.wrongWireType(field: field, expected: expected, found: found.name), path: path)
  }

  /// `number` is the field number, or nil for a named field.
  static func missingRequiredField(number: Int?, path: String) -> Self {
    Self(.missingRequiredField(number: number), path: path)
  }

  static func invalidUTF8(path: String = "") -> Self { Self(.invalidUTF8, path: path) }

  static func depthLimitExceeded(limit: Int, path: String) -> Self {
    Self(.depthLimitExceeded(limit: limit), path: path)
  }

  static func containerLimitExceeded(limit: Int, path: String) -> Self {
    Self(.containerLimitExceeded(limit: limit), path: path)
  }

  static func unknownEnumValue(type: String, rawValue: String, path: String) -> Self {
    Self(.unknownEnumValue(type: type, rawValue: rawValue), path: path)
  }

  static func valueOutOfRange(type: String, value: String, path: String = "") -> Self {
    Self(.valueOutOfRange(type: type, value: value), path: path)
  }

  static func unsupported(_ detail: String, path: String = "") -> Self {
    Self(.unsupported(detail), path: path)
  }

  static func invalidFieldNumber(_ number: Int, path: String) -> Self {
    Self(.invalidFieldNumber(number), path: path)
  }

  static func invalidValue(_ detail: String, path: String = "") -> Self {
    Self(.invalidValue(detail), path: path)
  }

  /// Wraps an error thrown by a type's own Codable implementation.
  static func wrapping(_ error: any Error, path: String) -> Self {
    if let error = error as? WireFormatError { return error }
    let detail: String
    switch error {
    case DecodingError.dataCorrupted(let context),
      DecodingError.keyNotFound(_, let context),
      DecodingError.typeMismatch(_, let context),
      DecodingError.valueNotFound(_, let context):
      detail = context.debugDescription
    case EncodingError.invalidValue(_, let context):
      detail = context.debugDescription
    default:
      detail = String(describing: error)
    }
    return Self(.invalidValue(detail), path: path, underlying: error)
  }

  static func invalidJSON(_ detail: String, path: String = "") -> Self {
    Self(.invalidJSON(detail), path: path)
  }

  static func unknownField(_ name: String, path: String) -> Self {
    Self(.unknownField(name), path: path)
  }

  static func typeMismatch(expected: String, found: String, path: String) -> Self {
    Self(.typeMismatch(expected: expected, found: found), path: path)
  }

  static func unknownType(_ name: String, path: String = "") -> Self {
    Self(.unknownType(name), path: path)
  }

  /// This error with `path` filled in, unless it already names a place.
  func locating(at path: @autoclosure () -> String) -> Self {
    guard codingPath.isEmpty else { return self }
    var copy = self
    copy.codingPath = path()
    return copy
  }
}
