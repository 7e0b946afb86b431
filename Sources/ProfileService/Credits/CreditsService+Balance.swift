import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension CreditsService {
  /// The current organization's balance, estimated monthly usage and newest transactions,
  /// read from one snapshot. Any member may read them.
  ///
  /// - Throws: `FAILED_PRECONDITION` (`NOT_CREDIT_BASED`) for an organization without credits.
  func getCredits(_ context: ServerContext) async throws -> Credits.CreditSummary {
    let caller = try await environment.authenticator.caller(context)
    let organizationID = caller.organizationID
    let userID = caller.userID
    let now = environment.now()
    return try await environment.database.read { db in
      _ = try Self.creditOrganization(db, organizationID: organizationID, userID: userID)
      let consumed = try db.consumedCredits(
        organizationID: organizationID, since: now.addingTimeInterval(-Self.projectionWindow))
      let first = try db.firstCreditTransactionTime(organizationID: organizationID)
      let recent = try db.creditTransactions(
        organizationID: organizationID, from: nil, to: nil, after: nil, limit: Self.recentCount)
      return Credits.CreditSummary(
        organizationId: organizationID, balance: try db.creditBalance(organizationID: organizationID),
        estimatedMonthlyUsage: Self.estimatedMonthlyUsage(consumed: consumed, firstTransaction: first, now: now),
        recentTransactions: recent.map(Self.message))
    }
  }

  /// Streams the current organization's transactions, newest first: at most `limit` (default
  /// 100) with `from <= time < to` when given. Reads a page of ``listPageSize`` at a time, so a
  /// long stream holds no database connection while the client reads.
  ///
  /// - Throws: `INVALID_ARGUMENT` for a limit outside 1...10,000 or `from` after `to`;
  ///   `FAILED_PRECONDITION` (`NOT_CREDIT_BASED`).
  func listTransactions(
    _ request: Credits.ListTransactionsRequest, _ writer: ResponseWriter<Credits.Transaction>, _ context: ServerContext
  ) async throws {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if let limit = request.limit { validator.integer("limit", limit, in: Self.listLimits) }
    validator.range(from: request.from, to: request.to)
    try validator.check()
    let organizationID = caller.organizationID
    let userID = caller.userID
    var remaining = request.limit ?? Self.defaultListLimit
    var after: (time: Date, id: Int64)?
    var first = true
    while remaining > 0 {
      let pageSize = min(remaining, Self.listPageSize)
      let checkMembership = first
      let cursor = after
      let page = try await environment.database.read { db in
        if checkMembership { _ = try Self.creditOrganization(db, organizationID: organizationID, userID: userID) }
        return try db.creditTransactions(
          organizationID: organizationID, from: request.from, to: request.to, after: cursor, limit: pageSize)
      }
      first = false
      for transaction in page {
        try await writer.write(Self.message(transaction))
      }
      guard page.count == pageSize, let last = page.last else { return }
      remaining -= page.count
      after = (last.time, last.id)
    }
  }
}
