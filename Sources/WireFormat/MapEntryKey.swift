/// The coding-path key of a map value: the map key itself, rendered only when an error needs it.
struct MapEntryKey: CodingKey {
  let key: any CustomStringConvertible & Sendable

  init(_ key: any CustomStringConvertible & Sendable) { self.key = key }

  init?(intValue: Int) { self.key = intValue }

  init?(stringValue: String) { self.key = stringValue }

  var intValue: Int? { nil }

  var stringValue: String { key.description }
}
