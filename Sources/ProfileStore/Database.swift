internal import CSQLite

/// A connection to an SQLite database, lent to the closures of ``DatabasePool``.
///
/// A `Database` is not `Sendable`: it belongs to the pool thread that runs the closure and must
/// not escape it. Inside ``DatabasePool/write(_:)`` it is in the batch's write transaction; inside
/// ``DatabasePool/read(_:)`` it is in a read transaction on a read-only connection. Either way the
/// pool owns the transaction, so `BEGIN`, `COMMIT` and `ROLLBACK` are refused with
/// ``DatabaseError/authorization``; use ``savepoint(_:)`` for an all-or-nothing step.
///
/// Statements are prepared once per connection and kept in a cache keyed by their SQL text, so
/// pass values as arguments, never by building SQL strings:
///
/// ```swift
/// try db.execute(sql: "INSERT INTO users (email, created_at) VALUES (?, ?)", email, Date())
/// let id = db.lastInsertRowID
/// let user = try db.row(sql: "SELECT email FROM users WHERE id = ?", id)
/// let count = try db.value(Int.self, sql: "SELECT count(*) FROM users") ?? 0
/// ```
///
/// Every method throws ``DatabaseError``; none of them traps.
public final class Database {
  /// How many prepared statements a connection keeps; past this the cache starts over.
  static let statementCacheCapacity = 256

  /// The savepoint the pool wraps around each write; user SQL may not release or roll it back.
  static let writeSavepointName = "profilestore_write"
  /// Opening and releasing ``writeSavepointName``, built once: the writer runs both for every
  /// write, and each look-up in the engine's statement cache hashes its text.
  static let openWriteSavepoint = "SAVEPOINT \(writeSavepointName)"
  static let releaseWriteSavepoint = "RELEASE \(writeSavepointName)"

  /// The savepoint behind ``savepoint(_:)``; SQLite resolves nested uses to the innermost one.
  private static let nestedSavepointName = "profilestore_nested"

  enum Mode {
    case readWrite
    case readOnly
  }

  enum TransactionKind: String {
    case deferred = "BEGIN DEFERRED"
    case immediate = "BEGIN IMMEDIATE"
  }

  let handle: OpaquePointer
  let path: String

  /// Statements of the caller's SQL, keyed by SQL text.
  private var statementCache: [String: Statement] = [:]

  /// Transaction control of the engine itself, apart so that user SQL can never reuse them.
  private var engineStatements: [String: Statement] = [:]

  /// While true the authorizer refuses statements that would end the pool's transaction.
  private var transactionControlIsLocked = false

  /// What the authorizer last refused, for the error message.
  private var refusal: String?

  private var isClosed = false

  /// How many statements of the caller's SQL this connection holds prepared.
  package var cachedStatementCount: Int { statementCache.count }

  /// Done once, before the process's first connection: SQLite's memory statistics (unused here)
  /// cost a global mutex on every allocation, shared by the writer and every reader.
  private static let engineConfigured: Void = {
    _ = csqlite_disable_memory_statistics()
  }()

  /// Opens a connection; the file is created when `mode` is `.readWrite`.
  init(path: String, mode: Mode, busyTimeout: Duration) throws {
    Self.engineConfigured
    var handle: OpaquePointer?
    let access =
      switch mode {
      case .readWrite: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
      case .readOnly: SQLITE_OPEN_READONLY
      }
    // NOMUTEX: a connection is used by one thread at a time, the pool guarantees it.
    let code = sqlite3_open_v2(path, &handle, access | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK, let handle else {
      let error = DatabaseError(connection: handle, code: code, sql: nil)
      sqlite3_close_v2(handle)
      throw DatabaseError(
        resultCode: error.extendedResultCode, message: "cannot open \(path): \(error.message)")
    }
    self.handle = handle
    self.path = path
    sqlite3_extended_result_codes(handle, 1)
    let (seconds, attoseconds) = busyTimeout.components
    let milliseconds = max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    installAuthorizer()
  }

  deinit {
    close()
  }

  /// Finalizes the statements and closes the connection; later calls throw ``DatabaseError/misuse``.
  func close() {
    guard !isClosed else { return }
    isClosed = true
    statementCache.removeAll()
    engineStatements.removeAll()
    sqlite3_close_v2(handle)
  }

  // MARK: - Executing SQL

  /// Executes one statement with its arguments, one per `?` in order; `nil` binds `NULL`.
  ///
  /// Rows the statement returns are skipped. SQL with more than one statement throws
  /// ``DatabaseError/misuse``: scripts go through ``executeScript(sql:)``.
  public func execute(sql: String, _ arguments: (any DatabaseValueConvertible)?...) throws {
    try execute(sql: sql, arguments: arguments)
  }

  /// Executes one statement with an array of arguments.
  public func execute(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws {
    try withStatement(sql, arguments) { statement in
      while try statement.step() {}
    }
  }

  /// Executes several `;`-separated statements without arguments, such as a migration.
  ///
  /// The statements are not cached. They run in order and the first error stops the script;
  /// the ones before it stay executed, so call it inside a transaction or savepoint.
  public func executeScript(sql: String) throws {
    try checkOpen()
    try sql.withCString { start in
      var next: UnsafePointer<CChar>? = start
      while let current = next, current.pointee != 0 {
        var statementHandle: OpaquePointer?
        refusal = nil
        let code = sqlite3_prepare_v3(handle, current, -1, 0, &statementHandle, &next)
        guard code == SQLITE_OK else {
          throw prepareError(code: code, sql: String(cString: current))
        }
        // Whitespace or a comment at the end prepares to nothing.
        guard let statementHandle else { continue }
        let statement = Statement(handle: statementHandle, sql: String(cString: current))
        while try statement.step() {}
      }
    }
  }

  /// Returns every row of a query.
  public func rows(sql: String, _ arguments: (any DatabaseValueConvertible)?...) throws -> [Row] {
    try rows(sql: sql, arguments: arguments)
  }

  /// Returns every row of a query run with an array of arguments.
  public func rows(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> [Row] {
    try withStatement(sql, arguments) { statement in
      var rows: [Row] = []
      // Names after the step: the first step may prepare the statement anew (a schema change).
      while try statement.step() {
        rows.append(statement.row(columnNames: statement.columnNames))
      }
      return rows
    }
  }

  /// Returns the first row of a query, or nil when it has none; the other rows are not computed.
  public func row(sql: String, _ arguments: (any DatabaseValueConvertible)?...) throws -> Row? {
    try row(sql: sql, arguments: arguments)
  }

  /// Returns the first row of a query run with an array of arguments.
  public func row(sql: String, arguments: [(any DatabaseValueConvertible)?]) throws -> Row? {
    try withStatement(sql, arguments) { statement in
      try statement.step() ? statement.row(columnNames: statement.columnNames) : nil
    }
  }

  /// Returns the first column of the first row, or nil when there is no row or the value is `NULL`.
  ///
  /// Throws ``DatabaseError/mismatch`` when the value does not fit `T`.
  public func value<T: DatabaseValueConvertible>(
    _ type: T.Type = T.self, sql: String, _ arguments: (any DatabaseValueConvertible)?...
  ) throws -> T? {
    try value(type, sql: sql, arguments: arguments)
  }

  /// Returns the first column of the first row of a query run with an array of arguments.
  public func value<T: DatabaseValueConvertible>(
    _ type: T.Type = T.self, sql: String, arguments: [(any DatabaseValueConvertible)?]
  ) throws -> T? {
    try withStatement(sql, arguments) { statement in
      guard try statement.step(), statement.columnCount > 0 else { return nil }
      let value = statement.value(at: 0)
      return value.isNull ? nil : try T.decode(value, context: "first column of `\(sql)`")
    }
  }

  /// The rowid of the most recent successful `INSERT` on this connection.
  public var lastInsertRowID: Int64 {
    sqlite3_last_insert_rowid(handle)
  }

  /// The number of rows the most recent `INSERT`, `UPDATE` or `DELETE` changed.
  public var changes: Int {
    Int(sqlite3_changes64(handle))
  }

  // MARK: - Transactions

  /// Whether a transaction is open; always true inside pool closures.
  public var isInsideTransaction: Bool {
    sqlite3_get_autocommit(handle) == 0
  }

  /// Runs `body` in a savepoint: its changes are kept when it returns and undone when it throws.
  ///
  /// Savepoints nest. The error `body` threw is rethrown after the rollback.
  public func savepoint<T>(_ body: () throws -> T) throws -> T {
    let name = Self.nestedSavepointName
    try executeEngineStatement("SAVEPOINT \(name)")
    do {
      let value = try body()
      try executeEngineStatement("RELEASE \(name)")
      return value
    } catch {
      rollbackAndRelease(savepoint: name)
      throw error
    }
  }

  func begin(_ kind: TransactionKind) throws {
    try executeEngineStatement(kind.rawValue)
  }

  func commit() throws {
    resetBusyStatements()
    try executeEngineStatement("COMMIT")
  }

  /// Rolls back the open transaction, if any.
  ///
  /// Used on paths that already report an error. Once pending statements are reset a `ROLLBACK`
  /// cannot fail for lack of a lock, and if it failed anyway the next `BEGIN` reports it.
  func rollback() {
    guard isInsideTransaction else { return }
    resetBusyStatements()
    _ = try? executeEngineStatement("ROLLBACK")
  }

  /// Undoes and closes the savepoint `name`, if the transaction still exists.
  ///
  /// Used on paths that already report an error; when SQLite has rolled back the whole
  /// transaction (after `SQLITE_FULL`, say) there is no savepoint left and nothing to do.
  func rollbackAndRelease(savepoint name: String) {
    guard isInsideTransaction else { return }
    resetBusyStatements()
    _ = try? executeEngineStatement("ROLLBACK TO \(name)")
    _ = try? executeEngineStatement("RELEASE \(name)")
  }

  /// Runs `body` in a deferred transaction that sees one snapshot of the database.
  func inReadTransaction<T>(_ body: (Database) throws -> T) throws -> T {
    try begin(.deferred)
    do {
      let value = try withTransactionControlLocked { try body(self) }
      try commit()
      return value
    } catch {
      rollback()
      throw error
    }
  }

  /// Runs caller code with transaction control refused, so it cannot end the pool's transaction.
  func withTransactionControlLocked<T>(_ body: () throws -> T) rethrows -> T {
    let previous = transactionControlIsLocked
    transactionControlIsLocked = true
    defer { transactionControlIsLocked = previous }
    return try body()
  }

  /// Resets statements left mid-iteration, which would block `COMMIT` or `ROLLBACK TO`.
  func resetBusyStatements() {
    var statement = sqlite3_next_stmt(handle, nil)
    while let current = statement {
      if sqlite3_stmt_busy(current) != 0 {
        sqlite3_reset(current)
      }
      statement = sqlite3_next_stmt(handle, current)
    }
  }

  // MARK: - Engine statements

  /// Runs SQL of the engine itself (transaction control, pragmas), from a cache user SQL cannot reach.
  func executeEngineStatement(_ sql: String) throws {
    let statement: Statement
    if let cached = engineStatements[sql] {
      statement = cached
    } else {
      statement = try prepare(sql)
      engineStatements[sql] = statement
    }
    defer { statement.reset() }
    while try statement.step() {}
  }

  // MARK: - Statements

  private func withStatement<R>(
    _ sql: String, _ arguments: [(any DatabaseValueConvertible)?],
    _ body: (Statement) throws -> R
  ) throws -> R {
    let statement = try cachedStatement(sql)
    defer { statement.reset() }
    try statement.bind(arguments)
    return try body(statement)
  }

  private func cachedStatement(_ sql: String) throws -> Statement {
    if let statement = statementCache[sql] {
      return statement
    }
    let statement = try prepare(sql)
    if statementCache.count >= Self.statementCacheCapacity {
      statementCache.removeAll(keepingCapacity: true)
    }
    statementCache[sql] = statement
    return statement
  }

  /// Prepares exactly one statement for repeated use.
  private func prepare(_ sql: String) throws -> Statement {
    try checkOpen()
    refusal = nil
    return try sql.withCString { start in
      var statementHandle: OpaquePointer?
      var tail: UnsafePointer<CChar>?
      let code = sqlite3_prepare_v3(
        handle, start, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statementHandle, &tail)
      guard code == SQLITE_OK else {
        throw prepareError(code: code, sql: sql)
      }
      guard let statementHandle else {
        throw DatabaseError(
          resultCode: DatabaseError.misuse, message: "the SQL holds no statement", sql: sql)
      }
      let statement = Statement(handle: statementHandle, sql: sql)
      if let tail, containsStatement(tail) {
        throw DatabaseError(
          resultCode: DatabaseError.misuse,
          message: "the SQL holds more than one statement; use executeScript(sql:) for scripts",
          sql: sql)
      }
      return statement
    }
  }

  /// Whether anything but whitespace and comments follows a statement.
  private func containsStatement(_ sql: UnsafePointer<CChar>) -> Bool {
    guard sql.pointee != 0 else { return false }
    var statementHandle: OpaquePointer?
    let code = sqlite3_prepare_v3(handle, sql, -1, 0, &statementHandle, nil)
    sqlite3_finalize(statementHandle)
    return code != SQLITE_OK || statementHandle != nil
  }

  private func prepareError(code: Int32, sql: String) -> DatabaseError {
    if code == SQLITE_AUTH, let refusal {
      return DatabaseError(
        resultCode: DatabaseError.authorization,
        message: "\(refusal) is not allowed here: the pool owns the transaction; "
          + "use Database.savepoint for an all-or-nothing step",
        sql: sql)
    }
    return DatabaseError(connection: handle, code: code, sql: sql)
  }

  private func checkOpen() throws {
    guard !isClosed else {
      throw DatabaseError(
        resultCode: DatabaseError.misuse, message: "the connection to \(path) is closed")
    }
  }

  // MARK: - Authorizer

  private func installAuthorizer() {
    // Unretained: the connection closes, and the callback stops, before the object goes away.
    let context = Unmanaged.passUnretained(self).toOpaque()
    sqlite3_set_authorizer(
      handle,
      { context, action, operation, name, _, _ in
        guard let context else { return SQLITE_OK }
        return Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
          .authorize(action: action, operation: operation, name: name)
      }, context)
  }

  /// Runs when SQLite prepares a statement (also when it re-prepares one after a schema change).
  private func authorize(
    action: Int32, operation: UnsafePointer<CChar>?, name: UnsafePointer<CChar>?
  ) -> Int32 {
    guard transactionControlIsLocked else { return SQLITE_OK }
    switch action {
    case SQLITE_TRANSACTION:
      refusal = operation.map { String(cString: $0) } ?? "transaction control"
      return SQLITE_DENY
    case SQLITE_SAVEPOINT:
      guard let operation, let name else { return SQLITE_OK }
      let verb = String(cString: operation)
      let savepoint = String(cString: name)
      guard verb != "BEGIN", savepoint.lowercased() == Self.writeSavepointName else {
        return SQLITE_OK
      }
      refusal = "\(verb) \(savepoint)"
      return SQLITE_DENY
    default:
      return SQLITE_OK
    }
  }
}

/// A connection belongs to one thread at a time; the pool lends it only inside closures.
@available(*, unavailable)
extension Database: Sendable {}
