internal import CSQLite

/// An SQLite result code, primary (`SQLITE_CONSTRAINT`) or extended (`SQLITE_CONSTRAINT_UNIQUE`).
///
/// A result code is a pattern that matches errors: a primary code matches every ``DatabaseError``
/// whose primary code it is, an extended code matches only that extended code. Anything that is
/// not a ``DatabaseError`` never matches.
///
/// ```swift
/// do {
///   try db.execute(sql: "INSERT INTO users (email) VALUES (?)", email)
/// } catch DatabaseError.constraintUnique {
///   // the email is taken
/// } catch DatabaseError.constraint {
///   // any other constraint
/// }
/// ```
///
/// The static values live on ``DatabaseError`` so that `catch` clauses read well.
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  /// The numeric code as SQLite defines it (see https://www.sqlite.org/rescode.html).
  public let rawValue: Int32

  public init(rawValue: Int32) {
    self.rawValue = rawValue
  }

  /// The primary code: the low eight bits of an extended code, or the code itself.
  public var primary: ResultCode {
    ResultCode(rawValue: rawValue & 0xFF)
  }

  /// Whether this is a primary code, which matches all of its extended codes.
  public var isPrimary: Bool {
    rawValue & ~0xFF == 0
  }

  /// The number and SQLite's English text for it, such as `19 (constraint failed)`.
  public var description: String {
    "\(rawValue) (\(String(cString: sqlite3_errstr(rawValue))))"
  }

  /// Whether `error` is a ``DatabaseError`` with this code (any extension of it when this code is primary).
  public static func ~= (pattern: ResultCode, error: any Error) -> Bool {
    guard let error = error as? DatabaseError else { return false }
    return pattern.isPrimary
      ? error.resultCode == pattern : error.extendedResultCode == pattern
  }
}
