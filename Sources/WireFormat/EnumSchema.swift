/// The cases of a ``WireEnum`` type.
public struct EnumSchema: Codable, Sendable, Hashable {
  /// The type's name without its module.
  public var name: String
  /// How raw values are encoded: `.int64` for `Int`, `.string` for `String`, or another integer type.
  public var rawType: FieldType
  /// Every case, in `allCases` order.
  public var cases: [EnumCase]

  public init(name: String, rawType: FieldType, cases: [EnumCase]) {
    self.name = name
    self.rawType = rawType
    self.cases = cases
  }

  enum CodingKeys: Int, CodingKey {
    case name = 1, rawType, cases
  }
}
