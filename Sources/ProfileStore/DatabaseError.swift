internal import CSQLite

/// An error reported by SQLite, or by the store for misuse of its API.
///
/// Match it with the static codes, which work as `catch` patterns:
///
/// ```swift
/// do {
///   try await pool.write { db in try db.execute(sql: "INSERT INTO t (id) VALUES (?)", 1) }
/// } catch DatabaseError.constraintPrimaryKey {
///   // duplicate id
/// } catch DatabaseError.busy {
///   // another process held the lock longer than the busy timeout
/// }
/// ```
///
/// The description names the code, SQLite's message and the SQL text, never the bound arguments,
/// so it can be logged without leaking user data.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
  /// The extended result code, or the primary one when SQLite gave no extension.
  public let extendedResultCode: ResultCode

  /// The primary result code, such as ``DatabaseError/constraint``.
  public var resultCode: ResultCode { extendedResultCode.primary }

  /// SQLite's message, or the store's own explanation.
  public let message: String

  /// The SQL whose preparation or execution failed, when there was one.
  public let sql: String?

  public init(resultCode: ResultCode, message: String? = nil, sql: String? = nil) {
    self.extendedResultCode = resultCode
    self.message = message ?? String(cString: sqlite3_errstr(resultCode.rawValue))
    self.sql = sql
  }

  /// Captures the current error of a connection after a call returned `code`.
  init(connection: OpaquePointer?, code: Int32, sql: String?) {
    // A call can report a primary code while the connection knows the extension.
    var code = code
    if let connection, code & ~0xFF == 0, sqlite3_extended_errcode(connection) & 0xFF == code {
      code = sqlite3_extended_errcode(connection)
    }
    let message = connection.map { String(cString: sqlite3_errmsg($0)) }
    self.init(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
  }

  public var description: String {
    var text = "SQLite error \(extendedResultCode.rawValue)"
    if extendedResultCode != resultCode {
      text += " (primary \(resultCode))"
    } else {
      text += " (\(String(cString: sqlite3_errstr(resultCode.rawValue))))"
    }
    text += ": \(message)"
    if let sql {
      text += " - while executing `\(sql)`"
    }
    return text
  }
}

// Codes as `catch` patterns. Primary codes match their extended codes too.
extension DatabaseError {
  /// `SQLITE_ERROR`: generic error, such as an SQL syntax error or a missing table.
  public static let error = ResultCode(rawValue: 1)
  /// `SQLITE_PERM`: access permission denied.
  public static let permission = ResultCode(rawValue: 3)
  /// `SQLITE_ABORT`: the statement or transaction was aborted.
  public static let abort = ResultCode(rawValue: 4)
  /// `SQLITE_BUSY`: another connection held a lock longer than the busy timeout.
  public static let busy = ResultCode(rawValue: 5)
  /// `SQLITE_LOCKED`: a conflict inside the same connection.
  public static let locked = ResultCode(rawValue: 6)
  /// `SQLITE_NOMEM`: out of memory.
  public static let noMemory = ResultCode(rawValue: 7)
  /// `SQLITE_READONLY`: a write through a read-only connection, such as inside ``DatabasePool/read(_:)``.
  public static let readOnly = ResultCode(rawValue: 8)
  /// `SQLITE_INTERRUPT`: the operation was interrupted.
  public static let interrupt = ResultCode(rawValue: 9)
  /// `SQLITE_IOERR`: the operating system reported an I/O error.
  public static let ioError = ResultCode(rawValue: 10)
  /// `SQLITE_CORRUPT`: the database file is malformed.
  public static let corrupt = ResultCode(rawValue: 11)
  /// `SQLITE_FULL`: the disk is full.
  public static let full = ResultCode(rawValue: 13)
  /// `SQLITE_CANTOPEN`: the file cannot be opened.
  public static let cannotOpen = ResultCode(rawValue: 14)
  /// `SQLITE_SCHEMA`: the schema changed.
  public static let schema = ResultCode(rawValue: 17)
  /// `SQLITE_TOOBIG`: a string or blob exceeds SQLite's size limit.
  public static let tooBig = ResultCode(rawValue: 18)
  /// `SQLITE_CONSTRAINT`: any constraint violation.
  public static let constraint = ResultCode(rawValue: 19)
  /// `SQLITE_MISMATCH`: a value does not have the requested type; also a column decoded as the wrong Swift type.
  public static let mismatch = ResultCode(rawValue: 20)
  /// `SQLITE_MISUSE`: the API was used wrongly, such as a call on a closed ``DatabasePool``.
  public static let misuse = ResultCode(rawValue: 21)
  /// `SQLITE_AUTH`: a statement was refused, such as `COMMIT` inside a pool read or write.
  public static let authorization = ResultCode(rawValue: 23)
  /// `SQLITE_RANGE`: a wrong number of arguments, or an unknown column index or name.
  public static let range = ResultCode(rawValue: 25)
  /// `SQLITE_NOTADB`: the file is not a database.
  public static let notADatabase = ResultCode(rawValue: 26)

  /// `SQLITE_CONSTRAINT_CHECK`.
  public static let constraintCheck = ResultCode(rawValue: 275)
  /// `SQLITE_CONSTRAINT_FOREIGNKEY`.
  public static let constraintForeignKey = ResultCode(rawValue: 787)
  /// `SQLITE_CONSTRAINT_NOTNULL`.
  public static let constraintNotNull = ResultCode(rawValue: 1299)
  /// `SQLITE_CONSTRAINT_PRIMARYKEY`.
  public static let constraintPrimaryKey = ResultCode(rawValue: 1555)
  /// `SQLITE_CONSTRAINT_UNIQUE`.
  public static let constraintUnique = ResultCode(rawValue: 2067)
}
