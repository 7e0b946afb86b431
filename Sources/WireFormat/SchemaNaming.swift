/// The names types go by in schemas and error messages.
enum SchemaNaming {
  /// `String(reflecting:)` without the leading module name and without spaces:
  /// `ProfileAPI.Health.CheckRequest` → `Health.CheckRequest`,
  /// `M.Page<Swift.Int, M.User>` → `Page<Swift.Int,M.User>`.
  static func name(of type: Any.Type) -> String {
    let full = String(reflecting: type)
    var name = Substring(full)
    if let dot = full.firstIndex(of: "."),
      !full[..<dot].contains(where: { $0 == "<" || $0 == "(" })
    {
      name = full[full.index(after: dot)...]
    }
    return String(name.filter { !$0.isWhitespace })
  }
}
