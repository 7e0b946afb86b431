import Foundation
import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Outbox` to the trusted delivery services (the descriptors are trusted-callers-only,
/// which the server enforces): messages stay pending until acknowledged, so each is delivered
/// at least once, across restarts too.
public struct OutboxService: RPCService {
  let environment: ServiceEnvironment

  static let pullLimits = 1...500
  static let defaultPullLimit = 100
  static let ackLimits = 1...1_000

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Outbox.pull) { request, _ in try await pull(request) }
    router.unary(Outbox.ack) { request, _ in try await ack(request) }
  }

  /// Up to `max` (default 100) pending messages, oldest first. Pulling marks nothing: a message
  /// comes back until it is acknowledged.
  func pull(_ request: Outbox.PullRequest) async throws -> Outbox.PullResponse {
    var validator = FieldValidator()
    if let max = request.max { validator.integer("max", max, in: Self.pullLimits) }
    try validator.check()
    let limit = request.max ?? Self.defaultPullLimit
    let pending = try await environment.database.read { db in try db.pendingOutboxMessages(limit: limit) }
    return Outbox.PullResponse(
      messages: pending.map { message in
        Outbox.Message(
          id: message.id, channel: Self.channel(message.channel), recipient: message.recipient,
          template: message.template, parameters: message.parameters, created: message.createdAt)
      })
  }

  static func channel(_ channel: OutboxMessage.Channel) -> Outbox.Channel {
    switch channel {
    case .email: .email
    case .sms: .sms
    }
  }

  /// Marks messages delivered; returns how many of them were still pending.
  func ack(_ request: Outbox.AckRequest) async throws -> Outbox.AckResponse {
    var validator = FieldValidator()
    if !Self.ackLimits.contains(request.ids.count) {
      validator.fail("ids", "must have \(Self.ackLimits.lowerBound) to \(Self.ackLimits.upperBound) ids")
    }
    try validator.check()
    let ids = request.ids
    let now = environment.now()
    let acknowledged = try await environment.database.write { db in
      try db.acknowledgeOutboxMessages(ids: ids, now: now)
    }
    return Outbox.AckResponse(acknowledged: acknowledged)
  }
}
