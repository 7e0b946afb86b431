import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Audit`: the caller's own audit trail.
public struct AuditService: RPCService {
  let environment: ServiceEnvironment

  static let limits = 1...1_000
  static let defaultLimit = 100

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.serverStreaming(Audit.listAuditEvents) { request, writer, context in
      try await listAuditEvents(request, writer, context)
    }
  }

  /// Streams the caller's audit events, newest first (by time, then id): at most `limit`
  /// (default 100), with `from <= time < to` when given, and only those older than event
  /// `olderThanId` when given (the next page after the one that ended with that event).
  ///
  /// - Throws: `INVALID_ARGUMENT` for a limit outside 1...1,000, `from` after `to`, or an
  ///   `olderThanId` that is not the id of one of the caller's events.
  func listAuditEvents(
    _ request: Audit.ListAuditEventsRequest, _ writer: ResponseWriter<Audit.AuditEvent>, _ context: ServerContext
  ) async throws {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if let limit = request.limit { validator.integer("limit", limit, in: Self.limits) }
    validator.range(from: request.from, to: request.to)
    if let id = request.olderThanId { validator.integer("olderThanId", id, in: 1...Int64.max) }
    try validator.check()
    let userID = caller.userID
    let events = try await environment.database.read { db -> [AuditEventRecord] in
      var position: AuditTrailPosition?
      if let id = request.olderThanId {
        // Another user's event reads as unknown: ids must not tell whose they are.
        guard let found = try db.auditTrailPosition(ofEntry: id, subject: userID) else {
          throw RPCError.invalidArgument([
            ErrorDetails.FieldViolation(field: "olderThanId", description: "is not the id of one of your events")
          ])
        }
        position = found
      }
      return try db.auditEvents(
        subject: userID, from: request.from, to: request.to, after: position,
        limit: request.limit ?? Self.defaultLimit)
    }
    for event in events {
      try await writer.write(
        Audit.AuditEvent(
          id: event.id, time: event.time, actor: event.actor, action: event.action, target: event.target,
          requestId: event.requestID, peerUid: event.peerUID))
    }
  }
}
