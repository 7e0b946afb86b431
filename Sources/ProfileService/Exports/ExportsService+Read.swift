import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ExportsService {
  /// The caller's newest exports in their current organization (at most five), newest first,
  /// after expiring the downloads whose 24 hours are over.
  func listExports(_ context: ServerContext) async throws -> Exports.ListExportsResponse {
    let caller = try await environment.authenticator.caller(context)
    try await runner.sweepExpired()
    let userID = caller.userID
    let organizationID = caller.organizationID
    let exports = try await environment.database.read { db in
      try db.exports(userID: userID, organizationID: organizationID, limit: Self.historyLength)
    }
    return Exports.ListExportsResponse(exports: exports.map(Self.message))
  }

  /// Streams the export's progress until it ends: the current progress, each change (a slow
  /// reader skips to the newest), and a last message with the final status, size or reason.
  /// An export that already ended answers that last message alone.
  func watchExport(
    _ request: Exports.ExportRequest, _ writer: ResponseWriter<Exports.ExportProgress>, _ context: ServerContext
  ) async throws {
    let caller = try await environment.authenticator.caller(context)
    await runner.recovered()
    let export = try await callerExport(request.id, caller)
    let total = ExportRunner.dayCount(export)
    var daysDone = 0
    if Self.status(export) == .inProgress, let (stream, token) = runner.board.watch(export.id) {
      defer { runner.board.stopWatching(export.id, token: token) }
      try await withTaskCancellationHandler {
        for await progress in stream {
          daysDone = progress.daysDone
          try await writer.write(
            Exports.ExportProgress(
              id: export.id, status: .inProgress, daysDone: progress.daysDone, daysTotal: progress.daysTotal))
        }
      } onCancel: {
        runner.board.stopWatching(export.id, token: token)
      }
    }
    try Task.checkCancellation()
    let id = export.id
    guard let final = try await environment.database.read({ db in try db.export(id: id) }) else {
      throw RPCError(.notFound, "the export '\(id)' was deleted")
    }
    let status = Self.status(final)
    // Still in progress here means the server is stopping, or (with no workers) the export
    // waits for a server that builds it: the stream ends on its current state.
    guard status != .inProgress || !Task.isCancelled else { return }
    try await writer.write(
      Exports.ExportProgress(
        id: id, status: status, daysDone: status == .ready || status == .expired ? total : daysDone, daysTotal: total,
        size: final.size, message: final.message))
  }

  /// Streams a ready export's CSV in pieces of at most 64 KiB; the first also carries the
  /// total size and the SHA-256 recorded when it was built.
  ///
  /// - Throws: `FAILED_PRECONDITION` when the export is in progress (`EXPORT_NOT_READY`), timed
  ///   out or failed (`EXPORT_NOT_READY`), or its download expired 24 hours after it finished
  ///   (`EXPORT_EXPIRED`); `DATA_LOSS` when the file on disk is not the size it was written with
  ///   (checked before the first chunk, and again if it ends early while being sent).
  func downloadExport(
    _ request: Exports.ExportRequest, _ writer: ResponseWriter<Exports.ExportChunk>, _ context: ServerContext
  ) async throws {
    let caller = try await environment.authenticator.caller(context)
    try await runner.sweepExpired()
    let export = try await callerExport(request.id, caller)
    switch Self.status(export) {
    case .ready:
      break
    case .expired:
      let expiredAt = export.finishedAt.map { $0.addingTimeInterval(ExportRunner.downloadLifetime) }
      throw RPCError(
        .failedPrecondition,
        "the export expired\(expiredAt.map { " at \($0.ISO8601Format())" } ?? ""), 24 hours after it finished, "
          + "and its file is deleted; start a new export",
        details: ErrorDetails(preconditionViolations: [
          .init(type: "EXPORT_EXPIRED", subject: export.id, description: "downloads expire 24 hours after the export finished")
        ]))
    case .inProgress, .timedOut, .failed:
      let status = Self.status(export)
      let reason =
        status == .inProgress
        ? "is still in progress; watch it with WatchExport" : "ended \(status) (\(export.message ?? "no file")); start a new export"
      throw RPCError(
        .failedPrecondition, "the export \(reason)",
        details: ErrorDetails(preconditionViolations: [
          .init(type: "EXPORT_NOT_READY", subject: export.id, description: "only a ready export can be downloaded")
        ]))
    }
    guard let file = FileHandle(forReadingAtPath: runner.files.path(export.id)), let size = export.size,
      let sha256 = export.sha256
    else {
      throw RPCError(.internal, "the file of export '\(export.id)' is missing")
    }
    defer { try? file.close() }
    // A file of another size than the one recorded was damaged on disk: say so before sending
    // a byte, rather than end a short (or long) download with OK.
    let onDisk = try Int64(file.seekToEnd())
    guard onDisk == size else { throw Self.damaged(export.id, onDisk: onDisk, recorded: size) }
    try file.seek(toOffset: 0)
    var offset: Int64 = 0
    repeat {
      let data = try file.read(upToCount: Int(min(Int64(Self.chunkSize), size - offset))) ?? Data()
      // Cut short while it was being sent.
      if data.isEmpty && offset < size { throw Self.damaged(export.id, onDisk: offset, recorded: size) }
      let first = offset == 0
      try await writer.write(
        Exports.ExportChunk(data: data, offset: offset, totalSize: first ? size : nil, sha256: first ? sha256 : nil))
      offset += Int64(data.count)
    } while offset < size
  }

  private static func damaged(_ id: String, onDisk: Int64, recorded: Int64) -> RPCError {
    RPCError(
      .dataLoss,
      "the file of export '\(id)' holds \(onDisk) bytes where \(recorded) were written; start a new export")
  }
}
