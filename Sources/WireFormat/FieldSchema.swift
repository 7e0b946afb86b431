/// One field of a ``MessageSchema``.
public struct FieldSchema: Codable, Sendable, Hashable {
  /// The Swift property name (the `CodingKey`'s `stringValue`), which is also the JSON field name.
  public var name: String
  /// The field number (`CodingKey.intValue`), or nil for a field written by name.
  public var number: Int?
  public var type: FieldType
  /// Whether the field may be absent: the type decodes it with `decodeIfPresent`.
  public var optional: Bool

  public init(name: String, number: Int?, type: FieldType, optional: Bool) {
    self.name = name
    self.number = number
    self.type = type
    self.optional = optional
  }

  enum CodingKeys: Int, CodingKey {
    case name = 1, number, type, optional
  }
}
