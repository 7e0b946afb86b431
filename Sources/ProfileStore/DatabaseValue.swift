public import Foundation

/// A value as SQLite stores it: one of its five storage classes.
public enum DatabaseValue: Hashable, Sendable, CustomStringConvertible {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob(Data)

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// SQL-literal-like rendering for logs and test failures; blobs show only their size.
  public var description: String {
    switch self {
    case .null: "NULL"
    case .integer(let value): String(value)
    case .real(let value): String(value)
    case .text(let value): String(reflecting: value)
    case .blob(let value): "<blob \(value.count) bytes>"
    }
  }
}
