/// Renders a Codable coding path the way `WireFormatError.codingPath` shows it:
/// `profile.phones[2].number`.
enum CodingPath {
  static func render(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
    var result = ""
    for key in path {
      append(key, to: &result)
    }
    if let last {
      append(last, to: &result)
    }
    return result
  }

  static func render(_ components: [String]) -> String {
    var result = ""
    for component in components {
      if component.hasPrefix("[") || result.isEmpty {
        result += component
      } else {
        result += "." + component
      }
    }
    return result
  }

  private static func append(_ key: any CodingKey, to result: inout String) {
    switch key {
    case let index as IndexKey:
      result += "[\(index.index)]"
    case let entry as MapEntryKey:
      result += "[\(entry.key)]"
    default:
      if !result.isEmpty { result += "." }
      result += key.stringValue
    }
  }
}
