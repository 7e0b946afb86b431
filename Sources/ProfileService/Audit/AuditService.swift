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

  /// Streams the caller's audit events, newest first: at most `limit` (default 100), with
  /// `from <= time < to` when given.
  ///
  /// - Throws: `INVALID_ARGUMENT` for a limit outside 1...1,000 or `from` after `to`.
  func listAuditEvents(
    _ request: Audit.ListAuditEventsRequest, _ writer: ResponseWriter<Audit.AuditEvent>, _ context: ServerContext
  ) async throws {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if let limit = request.limit { validator.integer("limit", limit, in: Self.limits) }
    validator.range(from: request.from, to: request.to)
    try validator.check()
    let userID = caller.userID
    let events = try await environment.database.read { db in
      try db.auditEvents(subject: userID, from: request.from, to: request.to, limit: request.limit ?? Self.defaultLimit)
    }
    for event in events {
      try await writer.write(
        Audit.AuditEvent(
          id: event.id, time: event.time, actor: event.actor, action: event.action, target: event.target,
          requestId: event.requestID, peerUid: event.peerUID))
    }
  }
}
