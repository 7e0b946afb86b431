public import Foundation

/// One entry of the audit trail (`audit_events` or `audit_events_recent`): who did what to which user's data, when, and through which call.
public struct AuditEventRecord: Sendable, Equatable {
  public var id: Int64
  public var time: Date
  /// The user whose trail the entry joins.
  public var subjectUserID: String
  /// A user id, `system`, `anonymous` or `trusted:<uid>`.
  public var actor: String
  public var action: String
  public var target: String
  public var requestID: String
  public var peerUID: UInt32

  public init(
    id: Int64, time: Date, subjectUserID: String, actor: String, action: String, target: String, requestID: String,
    peerUID: UInt32
  ) {
    self.id = id
    self.time = time
    self.subjectUserID = subjectUserID
    self.actor = actor
    self.action = action
    self.target = target
    self.requestID = requestID
    self.peerUID = peerUID
  }
}

/// A place in one user's audit trail, newest first: the entry it was taken from, by its stored
/// time (exact to the microsecond, as the table holds it) and id.
public struct AuditTrailPosition: Sendable, Hashable {
  let microseconds: Int64
  /// The entry's id.
  public let id: Int64
}
