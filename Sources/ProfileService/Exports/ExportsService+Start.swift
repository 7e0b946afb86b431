import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ExportsService {
  /// Records an export in progress, queues it for the workers and answers at once.
  ///
  /// - Throws: `INVALID_ARGUMENT` (one violation per bad field) for a day that is not
  ///   `YYYY-MM-DD`, `from` after `to` or in the future, `to` in the future or more than 366 days
  ///   after `from`; `FAILED_PRECONDITION` (`NOT_CREDIT_BASED`); `RESOURCE_EXHAUSTED` with
  ///   ``maximumInProgress`` exports in progress, or the server with
  ///   `ServiceConfiguration.maxExportsInProgress`.
  func startExport(_ request: Exports.StartExportRequest, _ context: ServerContext) async throws -> Exports.Export {
    let caller = try await environment.authenticator.caller(context)
    let now = environment.now()
    let today = ExportDay(containing: now)
    let from = ExportDay(request.from)
    let to = ExportDay(request.to)
    var validator = FieldValidator()
    if from == nil { validator.fail("from", "must be a day written YYYY-MM-DD, such as 2026-01-31") }
    if to == nil { validator.fail("to", "must be a day written YYYY-MM-DD, such as 2026-01-31") }
    validator.range(from: from, to: to)
    if let from, from > today { validator.fail("from", "must not be in the future (today is \(today.text) UTC)") }
    if let to, to > today { validator.fail("to", "must not be in the future (today is \(today.text) UTC)") }
    if let from, let to, to.number - from.number + 1 > Self.maximumDays {
      validator.fail("to", "must be at most \(Self.maximumDays) days from 'from', both included")
    }
    try validator.check()
    guard let from, let to else { throw RPCError(.internal, "validated days are missing") }

    let record = ExportRecord(
      id: try Identifiers.make("exp"), userID: caller.userID, organizationID: caller.organizationID,
      fromDay: from.text, toDay: to.text, status: Exports.Status.inProgress.rawValue, createdAt: now)
    let mutation = caller.mutation(now: now)
    let serverLimit = environment.configuration.maxExportsInProgress
    let pruned = try await environment.database.write { db in
      _ = try CreditsService.creditOrganization(db, organizationID: record.organizationID, userID: record.userID)
      guard try db.inProgressExportCount(userID: record.userID) < Self.maximumInProgress else {
        throw RPCError(
          .resourceExhausted, "you have \(Self.maximumInProgress) exports in progress; wait for one to end",
          details: ErrorDetails(quotaViolations: [
            .init(subject: "exports", description: "at most \(Self.maximumInProgress) exports in progress per user")
          ]))
      }
      guard try db.inProgressExportCount() < serverLimit else {
        throw RPCError(
          .resourceExhausted, "the server has \(serverLimit) exports in progress; try again in a minute",
          details: ErrorDetails(
            quotaViolations: [.init(subject: "exports", description: "at most \(serverLimit) exports in progress on the server")],
            retryAfterMilliseconds: 60_000))
      }
      try db.insertExport(record)
      let pruned = try db.pruneExports(
        userID: record.userID, organizationID: record.organizationID, keep: Self.historyLength)
      try db.audit("export.start", subject: record.userID, target: record.id, context: mutation)
      return pruned
    }
    for id in pruned { runner.files.remove(id) }
    runner.enqueue(record.id, daysTotal: Int(to.number - from.number + 1))
    return Self.message(record)
  }
}
