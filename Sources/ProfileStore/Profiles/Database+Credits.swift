public import Foundation

extension Database {
  private static let creditTransactionColumns = "id, organization_id, time, kind, amount, reason, actor"
  /// `Credits.TransactionKind.consumed`.
  private static let consumedKind: Int64 = 2
  private static let microsecondsPerDay: Int64 = 86_400_000_000

  /// The organization's balance; 0 before its first transaction.
  public func creditBalance(organizationID: String) throws -> Int64 {
    try value(Int64.self, sql: "SELECT balance FROM credit_balances WHERE organization_id = ?", organizationID) ?? 0
  }

  /// Records a transaction and sets the balance to `balance` in one step; the caller computed
  /// `balance` from ``creditBalance(organizationID:)`` in the same write, so the two agree.
  ///
  /// - Throws: `DatabaseError` (a `CHECK` constraint) when `balance` is negative.
  public func insertCreditTransaction(_ transaction: CreditTransactionRecord, balance: Int64) throws -> CreditTransactionRecord {
    try execute(
      sql: """
        INSERT INTO credit_balances (organization_id, balance) VALUES (?, ?)
        ON CONFLICT (organization_id) DO UPDATE SET balance = excluded.balance
        """, transaction.organizationID, balance)
    try execute(
      sql: "INSERT INTO credit_transactions (organization_id, time, kind, amount, reason, actor) VALUES (?, ?, ?, ?, ?, ?)",
      transaction.organizationID, transaction.time, Int64(transaction.kind), transaction.amount, transaction.reason,
      transaction.actor)
    var stored = transaction
    stored.id = lastInsertRowID
    return stored
  }

  public func creditTransaction(id: Int64, organizationID: String) throws -> CreditTransactionRecord? {
    try row(
      sql: "SELECT \(Self.creditTransactionColumns) FROM credit_transactions WHERE id = ? AND organization_id = ?",
      id, organizationID
    ).map(Self.creditTransactionRecord)
  }

  /// The organization's transactions, newest first: at most `limit` with `from <= time < to`
  /// (each bound only when given), continuing after `after` (the last `(time, id)` of a previous
  /// page) when given.
  public func creditTransactions(
    organizationID: String, from: Date?, to: Date?, after: (time: Date, id: Int64)?, limit: Int
  ) throws -> [CreditTransactionRecord] {
    var sql = "SELECT \(Self.creditTransactionColumns) FROM credit_transactions WHERE organization_id = ?"
    var arguments: [(any DatabaseValueConvertible)?] = [organizationID]
    Self.appendTimeBounds(from: from, to: to, into: &sql, arguments: &arguments)
    if let after {
      sql += " AND (time < ? OR (time = ? AND id < ?))"
      arguments += [after.time, after.time, after.id]
    }
    sql += " ORDER BY time DESC, id DESC LIMIT ?"
    arguments.append(Int64(limit))
    return try rows(sql: sql, arguments: arguments).map(Self.creditTransactionRecord)
  }

  /// Credits consumed at or after `since`.
  public func consumedCredits(organizationID: String, since: Date) throws -> Int64 {
    -(try value(
      Int64.self,
      sql: "SELECT coalesce(sum(amount), 0) FROM credit_transactions WHERE organization_id = ? AND kind = ? AND time >= ?",
      organizationID, Self.consumedKind, since) ?? 0)
  }

  /// When the organization's first transaction was made; nil before it has one.
  public func firstCreditTransactionTime(organizationID: String) throws -> Date? {
    try value(Date.self, sql: "SELECT min(time) FROM credit_transactions WHERE organization_id = ?", organizationID)
  }

  /// Sum of all the organization's transaction amounts: what the balance must equal.
  public func creditTransactionSum(organizationID: String) throws -> Int64 {
    try value(Int64.self, sql: "SELECT coalesce(sum(amount), 0) FROM credit_transactions WHERE organization_id = ?", organizationID)
      ?? 0
  }

  /// Credits consumed per UTC day and reason with `from <= time < to`, by day then reason.
  ///
  /// Aggregated by SQLite over `credit_transactions_usage`, which covers every column the query
  /// reads: the table itself is never visited.
  public func dailyUsage(organizationID: String, from: Date, to: Date) throws -> [DailyUsageRecord] {
    try rows(
      sql: """
        SELECT time / ? AS day, reason, -sum(amount) FROM credit_transactions INDEXED BY credit_transactions_usage
        WHERE organization_id = ? AND kind = ? AND time >= ? AND time < ?
        GROUP BY day, reason ORDER BY day, reason
        """, Self.microsecondsPerDay, organizationID, Self.consumedKind, from, to
    ).map { row in DailyUsageRecord(day: try row.get(0), reason: try row.get(1), credits: try row.get(2)) }
  }

  // MARK: Low-balance alerts

  /// The organization's members whose low-balance alert is on, with whether each was alerted
  /// already.
  public func lowBalanceSubscribers(organizationID: String) throws -> [LowBalanceSubscriber] {
    try rows(
      sql: """
        SELECT u.id, u.email, CASE WHEN u.phone_verified = 1 THEN u.phone END, n.low_balance_amount,
          n.low_balance_currency, n.low_balance_email, n.low_balance_sms, a.user_id IS NOT NULL
        FROM memberships m
        JOIN users u ON u.id = m.user_id
        JOIN notification_settings n ON n.user_id = m.user_id
        LEFT JOIN credit_alerts a ON a.organization_id = m.organization_id AND a.user_id = m.user_id
        WHERE m.organization_id = ? AND n.low_balance_enabled = 1
        ORDER BY m.joined_at, u.id
        """, organizationID
    ).map { row in
      LowBalanceSubscriber(
        userID: try row.get(0), email: try row.get(1), verifiedPhone: try row.get(2), thresholdMinor: try row.get(3),
        currency: try row.get(4), channels: .init(email: try row.get(5), sms: try row.get(6)), alerted: try row.get(7))
    }
  }

  /// Records that the member was alerted about the organization's low balance.
  public func markLowBalanceAlerted(organizationID: String, userID: String, now: Date) throws {
    try execute(
      sql: "INSERT OR REPLACE INTO credit_alerts (organization_id, user_id, alerted_at) VALUES (?, ?, ?)",
      organizationID, userID, now)
  }

  /// Re-arms the member's alert: the balance is back at or above their threshold.
  public func clearLowBalanceAlert(organizationID: String, userID: String) throws {
    try execute(sql: "DELETE FROM credit_alerts WHERE organization_id = ? AND user_id = ?", organizationID, userID)
  }

  private static func creditTransactionRecord(_ row: Row) throws -> CreditTransactionRecord {
    CreditTransactionRecord(
      id: try row.get(0), organizationID: try row.get(1), time: try row.get(2), kind: try row.get(3),
      amount: try row.get(4), reason: try row.get(5), actor: try row.get(6))
  }
}
