public import Foundation

extension Database {
  /// Times of failed sign-ins for `emailKey` strictly after `since`, oldest first: a failure
  /// stops counting the moment the window it opened has passed.
  public func failedSignIns(emailKey: String, since: Date) throws -> [Date] {
    try rows(sql: "SELECT at FROM sign_in_failures WHERE email_key = ? AND at > ? ORDER BY at", emailKey, since)
      .map { try $0.get(0) }
  }

  public func recordFailedSignIn(emailKey: String, at time: Date) throws {
    try execute(sql: "INSERT INTO sign_in_failures (email_key, at) VALUES (?, ?)", emailKey, time)
  }

  public func clearFailedSignIns(emailKey: String) throws {
    try execute(sql: "DELETE FROM sign_in_failures WHERE email_key = ?", emailKey)
  }

  /// Forgets failures older than `before`, so the table stays small.
  public func pruneFailedSignIns(before: Date) throws {
    try execute(sql: "DELETE FROM sign_in_failures WHERE at < ?", before)
  }
}
