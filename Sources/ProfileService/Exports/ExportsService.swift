import Foundation
import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Exports`: chart-data exports of the current organization's daily credit usage,
/// built by the ``ExportRunner``'s background workers.
///
/// A user sees only their own exports in their current organization; any other id is
/// `NOT_FOUND`. Each user keeps the newest ``historyLength`` exports per organization: starting
/// another deletes the oldest finished ones and their files.
public struct ExportsService: RPCService {
  let environment: ServiceEnvironment
  let runner: ExportRunner

  /// Exports kept (and listed) per user and organization.
  static let historyLength = 5
  /// Exports one user may have in progress at once.
  static let maximumInProgress = 5
  /// The longest range, in days, both ends included.
  static let maximumDays: Int64 = 366
  /// The largest piece of a download.
  static let chunkSize = 64 * 1024

  init(environment: ServiceEnvironment, runner: ExportRunner) {
    self.environment = environment
    self.runner = runner
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Exports.startExport) { request, context in try await startExport(request, context) }
    router.unary(Exports.listExports) { _, context in try await listExports(context) }
    router.serverStreaming(Exports.watchExport) { request, writer, context in
      try await watchExport(request, writer, context)
    }
    router.serverStreaming(Exports.downloadExport) { request, writer, context in
      try await downloadExport(request, writer, context)
    }
  }

  /// One of the caller's exports in their current organization.
  ///
  /// - Throws: `INVALID_ARGUMENT` for a malformed id; `NOT_FOUND` for one that is not theirs.
  func callerExport(_ id: String, _ caller: Caller) async throws -> ExportRecord {
    var validator = FieldValidator()
    OrganizationsService.validateID("id", id, prefix: "exp", into: &validator)
    try validator.check()
    let export = try await environment.database.read { db in try db.export(id: id) }
    guard let export, export.userID == caller.userID, export.organizationID == caller.organizationID else {
      throw RPCError(.notFound, "you have no export '\(id)' in this organization")
    }
    return export
  }

  static func status(_ record: ExportRecord) -> Exports.Status {
    Exports.Status(rawValue: record.status) ?? .failed
  }

  static func message(_ record: ExportRecord) -> Exports.Export {
    let status = status(record)
    return Exports.Export(
      id: record.id, status: status, from: record.fromDay, to: record.toDay, createdAt: record.createdAt,
      finishedAt: record.finishedAt, size: record.size, sha256: record.sha256,
      expiresAt: status == .ready ? record.finishedAt?.addingTimeInterval(ExportRunner.downloadLifetime) : nil,
      message: record.message)
  }
}
