import Foundation

/// What `PinHomePage` accepts: an absolute path inside the portal, never a way to another site.
enum HomePagePath {
  static let maximumLength = 512

  /// Why `path` cannot be pinned, or nil when it can.
  ///
  /// The path is ASCII URL characters (others percent-encoded), starts with one `/`, has no `.`
  /// or `..` segments, and neither as written nor percent-decoded contains control characters,
  /// backslashes or a leading `//` (which browsers read as another host).
  static func problem(with path: String) -> String? {
    guard (1...maximumLength).contains(path.utf8.count) else {
      return "must have 1 to \(maximumLength) characters"
    }
    guard path.hasPrefix("/") else { return "must be an absolute path starting with /" }
    if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "must not contain control characters"
    }
    guard path.unicodeScalars.allSatisfy(isURLCharacter) else {
      return "must contain only URL characters (percent-encode the others)"
    }
    guard let decoded = path.removingPercentEncoding else { return "has an invalid percent-encoding" }
    if decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "must not contain control characters"
    }
    if decoded.contains("\\") { return "must not contain backslashes" }
    if path.hasPrefix("//") || decoded.hasPrefix("//") { return "must not start with // (another host)" }
    // Segments are checked after decoding, so `%2e%2e` and `a%2f..` count too.
    let pathPart = String(path.prefix { $0 != "?" && $0 != "#" }).removingPercentEncoding ?? ""
    if pathPart.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
      return "must not contain . or .. segments"
    }
    return nil
  }

  /// RFC 3986 path, query and fragment characters, and `%`.
  private static func isURLCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9": true
    case "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", "/", "?", "#", "%":
      true
    default: false
    }
  }
}
