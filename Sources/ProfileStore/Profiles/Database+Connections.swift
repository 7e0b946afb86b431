extension Database {
  private static let connectionColumns = "id, user_id, application, display_name, kind, credential, created_at"

  public func insertConnection(_ connection: ConnectionRecord) throws {
    try execute(
      sql: "INSERT INTO connections (\(Self.connectionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
      connection.id, connection.userID, connection.application, connection.displayName, connection.kind,
      connection.credential, connection.createdAt)
  }

  /// The user's connections, newest first.
  public func connections(userID: String) throws -> [ConnectionRecord] {
    try rows(
      sql: "SELECT \(Self.connectionColumns) FROM connections WHERE user_id = ? ORDER BY created_at DESC, id",
      userID
    ).map { row in
      ConnectionRecord(
        id: try row.get(0), userID: try row.get(1), application: try row.get(2), displayName: try row.get(3),
        kind: try row.get(4), credential: try row.get(5), createdAt: try row.get(6))
    }
  }

  /// How many connections the user has.
  public func connectionCount(userID: String) throws -> Int {
    try value(Int.self, sql: "SELECT count(*) FROM connections WHERE user_id = ?", userID) ?? 0
  }

  /// Deletes one of the user's connections; returns false when it was not theirs or is gone.
  @discardableResult
  public func deleteConnection(id: String, userID: String) throws -> Bool {
    try execute(sql: "DELETE FROM connections WHERE id = ? AND user_id = ?", id, userID)
    return changes == 1
  }
}
