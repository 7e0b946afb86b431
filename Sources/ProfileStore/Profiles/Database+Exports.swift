public import Foundation

extension Database {
  private static let exportColumns = """
    id, user_id, organization_id, from_day, to_day, status, created_at, finished_at, size, sha256, attempts, message
    """
  /// The `Exports.Status` raw values the store needs to know.
  private static let inProgress: Int64 = 1
  private static let ready: Int64 = 2
  private static let expired: Int64 = 5

  public func insertExport(_ export: ExportRecord) throws {
    try execute(
      sql: "INSERT INTO exports (\(Self.exportColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      arguments: [
        export.id, export.userID, export.organizationID, export.fromDay, export.toDay, Int64(export.status),
        export.createdAt, export.finishedAt, export.size, export.sha256, Int64(export.attempts), export.message,
      ])
  }

  public func export(id: String) throws -> ExportRecord? {
    try row(sql: "SELECT \(Self.exportColumns) FROM exports WHERE id = ?", id).map(Self.exportRecord)
  }

  /// The user's exports in the organization, newest first.
  public func exports(userID: String, organizationID: String, limit: Int) throws -> [ExportRecord] {
    try rows(
      sql: """
        SELECT \(Self.exportColumns) FROM exports WHERE user_id = ? AND organization_id = ?
        ORDER BY created_at DESC, rowid DESC LIMIT ?
        """, userID, organizationID, Int64(limit)
    ).map(Self.exportRecord)
  }

  /// Exports in progress on the whole server.
  public func inProgressExportCount() throws -> Int {
    try value(Int.self, sql: "SELECT count(*) FROM exports WHERE status = ?", Self.inProgress) ?? 0
  }

  public func inProgressExportCount(userID: String) throws -> Int {
    try value(Int.self, sql: "SELECT count(*) FROM exports WHERE user_id = ? AND status = ?", userID, Self.inProgress)
      ?? 0
  }

  /// Every export in progress, oldest first: what a starting server resumes.
  public func inProgressExports() throws -> [ExportRecord] {
    try rows(
      sql: "SELECT \(Self.exportColumns) FROM exports WHERE status = ? ORDER BY created_at, rowid", Self.inProgress
    ).map(Self.exportRecord)
  }

  /// The ids of every ready export: the files the exports directory should hold.
  public func readyExportIDs() throws -> Set<String> {
    Set(try rows(sql: "SELECT id FROM exports WHERE status = ?", Self.ready).map { try $0.get(0) })
  }

  /// Counts a worker starting the export; returns the export when it is still in progress.
  public func startExportAttempt(id: String) throws -> ExportRecord? {
    try execute(sql: "UPDATE exports SET attempts = attempts + 1 WHERE id = ? AND status = ?", id, Self.inProgress)
    guard changes == 1 else { return nil }
    return try export(id: id)
  }

  /// The ids of every export the user started, in any organization and state: the files to
  /// delete when the account goes (the rows go with the user).
  public func exportIDs(userID: String) throws -> [String] {
    try rows(sql: "SELECT id FROM exports WHERE user_id = ?", userID).map { try $0.get(0) }
  }

  /// Ends an export in progress with `status`; returns false when it was not in progress.
  @discardableResult
  public func finishExport(
    id: String, status: Int, finishedAt: Date, size: Int64? = nil, sha256: String? = nil, message: String? = nil
  ) throws -> Bool {
    try execute(
      sql: """
        UPDATE exports SET status = ?, finished_at = ?, size = ?, sha256 = ?, message = ?
        WHERE id = ? AND status = ?
        """, Int64(status), finishedAt, size, sha256, message, id, Self.inProgress)
    return changes == 1
  }

  /// Marks ready exports that finished before `cutoff` expired; returns their ids, whose files
  /// the caller deletes once the write committed.
  public func expireExports(finishedBefore cutoff: Date) throws -> [String] {
    let ids: [String] = try rows(
      sql: "SELECT id FROM exports WHERE status = ? AND finished_at <= ?", Self.ready, cutoff
    ).map { try $0.get(0) }
    guard !ids.isEmpty else { return [] }
    try execute(sql: "UPDATE exports SET status = ? WHERE status = ? AND finished_at <= ?", Self.expired, Self.ready, cutoff)
    return ids
  }

  /// Deletes the user's finished exports in the organization beyond the newest `keep`; returns
  /// the deleted ids. Exports in progress are kept.
  public func pruneExports(userID: String, organizationID: String, keep: Int) throws -> [String] {
    let ids: [String] = try rows(
      sql: """
        SELECT id FROM exports WHERE user_id = ? AND organization_id = ? AND status <> ?
          AND id NOT IN (SELECT id FROM exports WHERE user_id = ? AND organization_id = ?
                         ORDER BY created_at DESC, rowid DESC LIMIT ?)
        """, userID, organizationID, Self.inProgress, userID, organizationID, Int64(keep)
    ).map { try $0.get(0) }
    for id in ids {
      try execute(sql: "DELETE FROM exports WHERE id = ?", id)
    }
    return ids
  }

  private static func exportRecord(_ row: Row) throws -> ExportRecord {
    ExportRecord(
      id: try row.get(0), userID: try row.get(1), organizationID: try row.get(2), fromDay: try row.get(3),
      toDay: try row.get(4), status: try row.get(5), createdAt: try row.get(6), finishedAt: try row.get(7),
      size: try row.get(8), sha256: try row.get(9), attempts: try row.get(10), message: try row.get(11))
  }
}
