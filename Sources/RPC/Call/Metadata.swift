/// String key/value pairs sent at the start of a call and on its trailer.
///
/// Keys are case-insensitive and stored lower-cased, like HTTP/2 header names in gRPC; a key set
/// twice keeps the last value. Well-known keys: ``requestID``, ``authorization``,
/// ``idempotencyKey``.
public struct Metadata: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral, Sequence {
  public static let requestID = "request-id"
  public static let authorization = "authorization"
  public static let idempotencyKey = "idempotency-key"

  /// Limits a peer must respect: more or larger entries are refused with `INVALID_ARGUMENT`.
  public static let maxEntries = 64
  public static let maxKeyLength = 128
  public static let maxValueLength = 8192

  private var storage: [String: String]

  public init() { storage = [:] }

  public init(dictionaryLiteral elements: (String, String)...) {
    storage = [:]
    for (key, value) in elements { storage[Self.normalized(key)] = value }
  }

  public subscript(key: String) -> String? {
    get { storage[Self.normalized(key)] }
    set { storage[Self.normalized(key)] = newValue }
  }

  /// `key` lower-cased; a key with no upper-case ASCII letter and no non-ASCII byte (every
  /// well-known key, read on every call) is returned as it is, without building a new string.
  private static func normalized(_ key: String) -> String {
    key.utf8.contains { $0 >= 0x80 || isASCIIUppercase($0) } ? key.lowercased() : key
  }

  /// True for the bytes of `A` to `Z`.
  private static func isASCIIUppercase(_ byte: UInt8) -> Bool {
    (0x41...0x5A).contains(byte)
  }

  public var count: Int { storage.count }
  public var isEmpty: Bool { storage.isEmpty }

  /// Entries sorted by key, so iteration order is deterministic.
  public func makeIterator() -> Array<(key: String, value: String)>.Iterator {
    storage.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }.makeIterator()
  }

  /// The bearer token of an `authorization: Bearer <token>` entry: what follows the scheme
  /// (matched without regard to case) and its space, without the spaces around it; nil when
  /// there is no such entry or nothing follows `Bearer `.
  public var bearerToken: String? {
    guard let value = self[Metadata.authorization] else { return nil }
    return Self.bearerToken(in: value)
  }

  /// The token of an `authorization` value, read by its bytes when the value is ASCII (every
  /// token this server issues, parsed on every authenticated call), else by its characters.
  /// The two readings agree on ASCII, where each character is one byte but CR LF, and neither
  /// the scheme nor a space can be part of a CR LF pair.
  package static func bearerToken(in value: String) -> String? {
    let utf8 = value.utf8
    guard !utf8.contains(where: { $0 >= 0x80 }) else { return unicodeBearerToken(in: value) }
    guard utf8.count > bearerScheme.count,
      zip(utf8, bearerScheme).allSatisfy({ byte, expected in
        (isASCIIUppercase(byte) ? byte | 0x20 : byte) == expected
      })
    else { return nil }
    var token = Substring(value).utf8.dropFirst(bearerScheme.count)
    while token.first == 0x20 { token = token.dropFirst() }
    while token.last == 0x20 { token = token.dropLast() }
    return String(Substring(token))
  }

  /// The scheme and its space, lower-cased, as text and as bytes.
  private static let bearerPrefix = "bearer "
  private static let bearerScheme: [UInt8] = Array(bearerPrefix.utf8)

  /// ``bearerToken(in:)`` by characters, for values beyond ASCII.
  package static func unicodeBearerToken(in value: String) -> String? {
    guard value.count > bearerPrefix.count, value.lowercased().hasPrefix(bearerPrefix) else { return nil }
    return String(value.dropFirst(bearerPrefix.count)).trimmingSpaces()
  }

  /// A description of the first limit this metadata breaks, or `nil` when it is acceptable.
  public func limitViolation() -> String? {
    if storage.count > Metadata.maxEntries {
      return "metadata has \(storage.count) entries; the limit is \(Metadata.maxEntries)"
    }
    for (key, value) in storage {
      if key.isEmpty || key.utf8.count > Metadata.maxKeyLength {
        return "metadata key '\(key.prefix(32))' must have 1 to \(Metadata.maxKeyLength) bytes"
      }
      if value.utf8.count > Metadata.maxValueLength {
        return "metadata value for '\(key)' exceeds \(Metadata.maxValueLength) bytes"
      }
    }
    return nil
  }

  public init(from decoder: any Decoder) throws {
    let raw = try decoder.singleValueContainer().decode([String: String].self)
    storage = [:]
    for (key, value) in raw { storage[Self.normalized(key)] = value }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(storage)
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var view = Substring(self)
    while view.first == " " { view = view.dropFirst() }
    while view.last == " " { view = view.dropLast() }
    return String(view)
  }
}
