internal import CSQLite
internal import Foundation

/// A prepared statement, owned by one ``Database`` and finalized when released.
///
/// Every use binds all parameters, steps, and is reset by its caller before the next use, so a
/// cached statement never carries state from one call to the next.
final class Statement {
  let handle: OpaquePointer
  let sql: String

  /// Where SQLite copies bound text and blobs (`SQLITE_TRANSIENT`), so Swift buffers may go away.
  private static var transient: sqlite3_destructor_type {
    unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
  }

  init(handle: OpaquePointer, sql: String) {
    self.handle = handle
    self.sql = sql
  }

  deinit {
    sqlite3_finalize(handle)
  }

  /// Binds one argument per parameter, in order; throws ``DatabaseError/range`` on a count mismatch.
  func bind(_ arguments: [(any DatabaseValueConvertible)?]) throws {
    let expected = Int(sqlite3_bind_parameter_count(handle))
    guard arguments.count == expected else {
      throw DatabaseError(
        resultCode: DatabaseError.range,
        message: "the statement has \(expected) parameters but \(arguments.count) arguments were given",
        sql: sql)
    }
    for (offset, argument) in arguments.enumerated() {
      let code = bind(argument?.databaseValue ?? .null, at: Int32(offset + 1))
      guard code == SQLITE_OK else {
        throw DatabaseError(connection: sqlite3_db_handle(handle), code: code, sql: sql)
      }
    }
  }

  private func bind(_ value: DatabaseValue, at index: Int32) -> Int32 {
    switch value {
    case .null:
      return sqlite3_bind_null(handle, index)
    case .integer(let value):
      return sqlite3_bind_int64(handle, index, value)
    case .real(let value):
      return sqlite3_bind_double(handle, index, value)
    case .text(var value):
      // Explicit byte length: embedded NULs survive, and "" stays text instead of NULL.
      return value.withUTF8 { bytes in
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
          return sqlite3_bind_text(handle, index, "", 0, Self.transient)
        }
        return sqlite3_bind_text64(
          handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
          UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
      }
    case .blob(let value):
      // A NULL pointer would bind NULL, so an empty blob is a zero-length blob.
      return value.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
          return sqlite3_bind_zeroblob(handle, index, 0)
        }
        return sqlite3_bind_blob64(handle, index, base, UInt64(bytes.count), Self.transient)
      }
    }
  }

  /// Advances to the next row; returns false when the statement is done.
  func step() throws -> Bool {
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    case let code: throw DatabaseError(connection: sqlite3_db_handle(handle), code: code, sql: sql)
    }
  }

  /// Makes the statement ready for the next use. Errors were already reported by ``step()``.
  func reset() {
    sqlite3_reset(handle)
  }

  var columnCount: Int32 {
    sqlite3_column_count(handle)
  }

  /// ``columnNames`` as of the preparation numbered `namesPreparation`.
  private var cachedColumnNames: [String] = []
  private var namesPreparation: Int32 = -1

  /// Column names of the current preparation: read once, and again after a schema change made
  /// SQLite prepare the statement anew (`SQLITE_STMTSTATUS_REPREPARE` counts those).
  var columnNames: [String] {
    let preparation = sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0)
    if preparation != namesPreparation {
      cachedColumnNames = (0..<columnCount).map { String(cString: sqlite3_column_name(handle, $0)) }
      namesPreparation = preparation
    }
    return cachedColumnNames
  }

  /// The current row.
  func row(columnNames: [String]) -> Row {
    Row(columnNames: columnNames, values: (0..<columnCount).map(value(at:)))
  }

  func value(at index: Int32) -> DatabaseValue {
    switch sqlite3_column_type(handle, index) {
    case SQLITE_INTEGER:
      return .integer(sqlite3_column_int64(handle, index))
    case SQLITE_FLOAT:
      return .real(sqlite3_column_double(handle, index))
    case SQLITE_TEXT:
      // Ask for the pointer before the length: the conversion may change the length.
      guard let text = sqlite3_column_text(handle, index) else { return .text("") }
      let count = Int(sqlite3_column_bytes(handle, index))
      return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
    case SQLITE_BLOB:
      guard let blob = sqlite3_column_blob(handle, index) else { return .blob(Data()) }
      return .blob(Data(bytes: blob, count: Int(sqlite3_column_bytes(handle, index))))
    default:
      return .null
    }
  }
}
