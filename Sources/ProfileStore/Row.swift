/// One result row: its values and the names of its columns.
///
/// Decode columns with `get`, by index or by name; the type comes from the context. A
/// non-optional type throws ``DatabaseError/mismatch`` on `NULL`; an optional type turns `NULL`
/// into nil. Both throw ``DatabaseError/mismatch`` when the stored value does not fit the type,
/// and ``DatabaseError/range`` for an unknown column.
///
/// ```swift
/// for row in try db.rows(sql: "SELECT id, email, deleted_at FROM users") {
///   let id: Int64 = try row.get(0)
///   let email: String = try row.get("email")
///   let deletedAt: Date? = try row.get("deleted_at")
/// }
/// ```
///
/// Rows are values: they own their data and may leave the closure that read them.
public struct Row: Hashable, Sendable, CustomStringConvertible {
  /// The column names, as SQLite reports them (the `AS` alias when there is one).
  public let columnNames: [String]

  /// The values, in column order.
  public let values: [DatabaseValue]

  public init(columnNames: [String], values: [DatabaseValue]) {
    self.columnNames = columnNames
    self.values = values
  }

  /// The number of columns.
  public var count: Int { values.count }

  /// The raw value of a column, or nil when there is no column with this index.
  public subscript(index: Int) -> DatabaseValue? {
    values.indices.contains(index) ? values[index] : nil
  }

  /// The raw value of the first column with this name (ASCII case-insensitive, as in SQL), or nil
  /// when there is none.
  public subscript(name: String) -> DatabaseValue? {
    index(of: name).map { values[$0] }
  }

  /// The index of the first column with this name (ASCII case-insensitive, as in SQL).
  public func index(of name: String) -> Int? {
    if let exact = columnNames.firstIndex(of: name) {
      return exact
    }
    let lowered = name.lowercased()
    return columnNames.firstIndex { $0.lowercased() == lowered }
  }

  /// Decodes the column at `index`; `NULL` is an error.
  public func get<T: DatabaseValueConvertible>(_ index: Int) throws -> T {
    try T.decode(value(at: index), context: "column \(index)")
  }

  /// Decodes the column at `index`; `NULL` is nil.
  public func get<T: DatabaseValueConvertible>(_ index: Int) throws -> T? {
    let value = try value(at: index)
    return value.isNull ? nil : try T.decode(value, context: "column \(index)")
  }

  /// Decodes the column named `name`; `NULL` is an error.
  public func get<T: DatabaseValueConvertible>(_ name: String) throws -> T {
    try T.decode(value(named: name), context: "column \(name)")
  }

  /// Decodes the column named `name`; `NULL` is nil.
  public func get<T: DatabaseValueConvertible>(_ name: String) throws -> T? {
    let value = try value(named: name)
    return value.isNull ? nil : try T.decode(value, context: "column \(name)")
  }

  /// `[name: value, ...]` in column order.
  public var description: String {
    "[" + zip(columnNames, values).map { "\($0): \($1)" }.joined(separator: ", ") + "]"
  }

  private func value(at index: Int) throws -> DatabaseValue {
    guard let value = self[index] else {
      throw DatabaseError(
        resultCode: DatabaseError.range,
        message: "no column at index \(index) in a row of \(count) columns")
    }
    return value
  }

  private func value(named name: String) throws -> DatabaseValue {
    guard let index = index(of: name) else {
      throw DatabaseError(
        resultCode: DatabaseError.range,
        message: "no column named \(name) among \(columnNames)")
    }
    return values[index]
  }
}
