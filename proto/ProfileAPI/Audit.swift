public import Foundation
public import RPC

/// The caller's own audit trail.
public enum Audit {
  /// The caller's events, newest first (by time, then id).
  public static let listAuditEvents = MethodDescriptor<ListAuditEventsRequest, AuditEvent>(
    service: "Audit", method: "ListAuditEvents", kind: .serverStreaming)

  public static let descriptor = ServiceDescriptor(name: "Audit", methods: [listAuditEvents.info])

  public struct ListAuditEventsRequest: Codable, Sendable, Equatable {
    /// 1 to 1,000; default 100.
    public var limit: Int?
    /// Only events at or after this time.
    public var from: Date?
    /// Only events before this time.
    public var to: Date?
    /// Only events older than the caller's event with this id (by time, then id): the id of the
    /// last event of the previous page, to read the trail a page at a time without missing or
    /// repeating events that share a time.
    public var olderThanId: Int64?
    public init(limit: Int? = nil, from: Date? = nil, to: Date? = nil, olderThanId: Int64? = nil) {
      self.limit = limit
      self.from = from
      self.to = to
      self.olderThanId = olderThanId
    }
    enum CodingKeys: Int, CodingKey { case limit = 1, from = 2, to = 3, olderThanId = 4 }
  }

  public struct AuditEvent: Codable, Sendable, Equatable {
    public var id: Int64
    public var time: Date
    /// Who acted: a user id, or `system`, or `trusted:<uid>` for trusted callers.
    public var actor: String
    /// What happened, such as `profile.update` or `password.change`.
    public var action: String
    /// What it happened to, such as the user id or a session id.
    public var target: String
    public var requestId: String
    public var peerUid: UInt32
    public init(id: Int64, time: Date, actor: String, action: String, target: String, requestId: String, peerUid: UInt32) {
      self.id = id
      self.time = time
      self.actor = actor
      self.action = action
      self.target = target
      self.requestId = requestId
      self.peerUid = peerUid
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, time = 2, actor = 3, action = 4, target = 5, requestId = 6, peerUid = 7
    }
  }
}
