/// One case of an ``EnumSchema``.
public struct EnumCase: Codable, Sendable, Hashable {
  /// The case name, `String(describing:)` of the case; what JSON uses.
  public var name: String
  /// The raw value rendered as a string: `"2"` for an `Int` raw value, the string itself otherwise.
  public var rawValue: String

  public init(name: String, rawValue: String) {
    self.name = name
    self.rawValue = rawValue
  }

  enum CodingKeys: Int, CodingKey {
    case name = 1, rawValue
  }
}
