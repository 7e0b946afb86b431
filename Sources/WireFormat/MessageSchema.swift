/// The fields of a message type, in the order its `init(from:)` decodes them (declaration order
/// for synthesized Codable, which is also the order `encode(to:)` writes them).
public struct MessageSchema: Codable, Sendable, Hashable {
  /// The type's name without its module, e.g. `Health.CheckRequest`.
  public var name: String
  public var fields: [FieldSchema]

  public init(name: String, fields: [FieldSchema]) {
    self.name = name
    self.fields = fields
  }

  enum CodingKeys: Int, CodingKey {
    case name = 1, fields
  }
}
