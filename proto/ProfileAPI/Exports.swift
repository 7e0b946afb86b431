public import Foundation
public import RPC
public import WireFormat

/// Chart-data exports: the current organization's daily credit usage over a range of days,
/// built as CSV by background jobs, listed, watched and downloaded.
///
/// Days are UTC calendar days written `YYYY-MM-DD`. An export belongs to the user who started
/// it, in the organization that was current then; the methods see only the caller's exports in
/// their current organization (`NOT_FOUND` for any other id).
public enum Exports {
  /// Starts an export and answers at once, with status `inProgress`; a bounded pool of
  /// background workers builds it. The organization must be credit-based.
  public static let startExport = MethodDescriptor<StartExportRequest, Export>(
    service: "Exports", method: "StartExport", kind: .unary)
  /// The caller's last five exports, newest first; older ones are deleted.
  public static let listExports = MethodDescriptor<Empty, ListExportsResponse>(
    service: "Exports", method: "ListExports", kind: .unary)
  /// The export's progress, as it happens, until it ends: the last message has the final status.
  public static let watchExport = MethodDescriptor<ExportRequest, ExportProgress>(
    service: "Exports", method: "WatchExport", kind: .serverStreaming)
  /// The CSV of a `ready` export, in chunks; the first message also carries the total size and
  /// the SHA-256. `FAILED_PRECONDITION` when the export is not ready, or expired (24 hours after
  /// it finished); `DATA_LOSS` when its file on disk is not the size it was written with.
  public static let downloadExport = MethodDescriptor<ExportRequest, ExportChunk>(
    service: "Exports", method: "DownloadExport", kind: .serverStreaming)

  public static let descriptor = ServiceDescriptor(
    name: "Exports", methods: [startExport.info, listExports.info, watchExport.info, downloadExport.info])

  public enum Status: Int, WireEnum {
    /// Queued or being built.
    case inProgress = 1
    /// Built; downloadable until ``Export/expiresAt``.
    case ready = 2
    /// Ran past the server's time budget; nothing to download.
    case timedOut = 3
    /// Could not be built (see ``Export/message``); nothing to download.
    case failed = 4
    /// Was ready; its file is deleted.
    case expired = 5
  }

  public struct StartExportRequest: Codable, Sendable, Equatable {
    /// The first day, `YYYY-MM-DD`.
    public var from: String
    /// The last day, included: not before `from`, at most 366 days in all, not in the future.
    public var to: String
    public init(from: String, to: String) {
      self.from = from
      self.to = to
    }
    enum CodingKeys: Int, CodingKey { case from = 1, to = 2 }
  }

  public struct Export: Codable, Sendable, Equatable {
    /// `exp_...`.
    public var id: String
    public var status: Status
    public var from: String
    public var to: String
    public var createdAt: Date
    /// When it became ready, timed out or failed.
    public var finishedAt: Date?
    /// The CSV's size in bytes, once ready.
    public var size: Int64?
    /// The CSV's SHA-256 in lowercase hex, once ready.
    public var sha256: String?
    /// When a ready export stops being downloadable.
    public var expiresAt: Date?
    /// Why it timed out or failed.
    public var message: String?
    public init(
      id: String, status: Status, from: String, to: String, createdAt: Date, finishedAt: Date? = nil,
      size: Int64? = nil, sha256: String? = nil, expiresAt: Date? = nil, message: String? = nil
    ) {
      self.id = id
      self.status = status
      self.from = from
      self.to = to
      self.createdAt = createdAt
      self.finishedAt = finishedAt
      self.size = size
      self.sha256 = sha256
      self.expiresAt = expiresAt
      self.message = message
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, status = 2, from = 3, to = 4, createdAt = 5, finishedAt = 6, size = 7, sha256 = 8, expiresAt = 9
      case message = 10
    }
  }

  public struct ListExportsResponse: Codable, Sendable, Equatable {
    /// Newest first, at most five.
    public var exports: [Export]
    public init(exports: [Export]) { self.exports = exports }
    enum CodingKeys: Int, CodingKey { case exports = 1 }
  }

  public struct ExportRequest: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: Int, CodingKey { case id = 1 }
  }

  public struct ExportProgress: Codable, Sendable, Equatable {
    public var id: String
    public var status: Status
    /// Days of the range already written.
    public var daysDone: Int
    public var daysTotal: Int
    /// Set in the last message of a ready export.
    public var size: Int64?
    /// Set in the last message of an export that timed out or failed.
    public var message: String?
    public init(id: String, status: Status, daysDone: Int, daysTotal: Int, size: Int64? = nil, message: String? = nil) {
      self.id = id
      self.status = status
      self.daysDone = daysDone
      self.daysTotal = daysTotal
      self.size = size
      self.message = message
    }
    enum CodingKeys: Int, CodingKey { case id = 1, status = 2, daysDone = 3, daysTotal = 4, size = 5, message = 6 }
  }

  /// A piece of the CSV; pieces arrive in order, at most 64 KiB each.
  public struct ExportChunk: Codable, Sendable, Equatable {
    public var data: Data
    /// Where `data` starts in the file.
    public var offset: Int64
    /// The file's size in bytes; in the first message.
    public var totalSize: Int64?
    /// The file's SHA-256 in lowercase hex; in the first message.
    public var sha256: String?
    public init(data: Data, offset: Int64, totalSize: Int64? = nil, sha256: String? = nil) {
      self.data = data
      self.offset = offset
      self.totalSize = totalSize
      self.sha256 = sha256
    }
    enum CodingKeys: Int, CodingKey { case data = 1, offset = 2, totalSize = 3, sha256 = 4 }
  }
}
