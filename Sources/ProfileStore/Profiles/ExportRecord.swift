public import Foundation

/// One row of `exports`: a chart-data export job and, once ready, its file's size and digest.
public struct ExportRecord: Sendable, Equatable {
  public var id: String
  public var userID: String
  public var organizationID: String
  /// The first and last day, `YYYY-MM-DD` (UTC).
  public var fromDay: String
  public var toDay: String
  /// `Exports.Status` raw value.
  public var status: Int
  public var createdAt: Date
  public var finishedAt: Date?
  public var size: Int64?
  /// Lowercase hex.
  public var sha256: String?
  /// How many times a worker started it (a restart makes it start again).
  public var attempts: Int
  /// Why it timed out or failed.
  public var message: String?

  public init(
    id: String, userID: String, organizationID: String, fromDay: String, toDay: String, status: Int, createdAt: Date,
    finishedAt: Date? = nil, size: Int64? = nil, sha256: String? = nil, attempts: Int = 0, message: String? = nil
  ) {
    self.id = id
    self.userID = userID
    self.organizationID = organizationID
    self.fromDay = fromDay
    self.toDay = toDay
    self.status = status
    self.createdAt = createdAt
    self.finishedAt = finishedAt
    self.size = size
    self.sha256 = sha256
    self.attempts = attempts
    self.message = message
  }
}
