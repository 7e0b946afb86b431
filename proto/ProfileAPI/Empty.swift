/// A message with no fields, for requests and responses that carry nothing.
public struct Empty: Codable, Sendable, Equatable {
  public init() {}
}
