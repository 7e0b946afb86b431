extension Database {
  private static let archivalColumns = """
    user_id, destination, s3_bucket, s3_region, s3_prefix, s3_access_key_id, s3_secret, mysql_host,
    mysql_port, mysql_database, mysql_table, mysql_user, mysql_password, interval_minutes
    """

  /// The user's archival settings; nil when the user does not exist.
  public func archivalSettings(userID: String) throws -> ArchivalSettingsRecord? {
    try row(sql: "SELECT \(Self.archivalColumns) FROM archival_settings WHERE user_id = ?", userID).map { row in
      ArchivalSettingsRecord(
        userID: try row.get(0), destination: try row.get(1), s3Bucket: try row.get(2), s3Region: try row.get(3),
        s3Prefix: try row.get(4), s3AccessKeyID: try row.get(5), s3Secret: try row.get(6),
        mysqlHost: try row.get(7), mysqlPort: try row.get(8), mysqlDatabase: try row.get(9),
        mysqlTable: try row.get(10), mysqlUser: try row.get(11), mysqlPassword: try row.get(12),
        intervalMinutes: try row.get(13))
    }
  }

  /// Writes every column of `settings`; returns false when the user has no row.
  @discardableResult
  public func updateArchivalSettings(_ settings: ArchivalSettingsRecord) throws -> Bool {
    try execute(
      sql: """
        UPDATE archival_settings SET destination = ?, s3_bucket = ?, s3_region = ?, s3_prefix = ?,
          s3_access_key_id = ?, s3_secret = ?, mysql_host = ?, mysql_port = ?, mysql_database = ?,
          mysql_table = ?, mysql_user = ?, mysql_password = ?, interval_minutes = ?
        WHERE user_id = ?
        """,
      arguments: [
        Int64(settings.destination), settings.s3Bucket, settings.s3Region, settings.s3Prefix,
        settings.s3AccessKeyID, settings.s3Secret, settings.mysqlHost, settings.mysqlPort.map(Int64.init),
        settings.mysqlDatabase, settings.mysqlTable, settings.mysqlUser, settings.mysqlPassword,
        Int64(settings.intervalMinutes), settings.userID,
      ])
    return changes == 1
  }
}
