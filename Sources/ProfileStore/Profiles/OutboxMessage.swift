public import Foundation

/// A message for a delivery service, queued in the same transaction as the change it reports.
public struct OutboxMessage: Sendable, Equatable {
  public enum Channel: Int, Sendable {
    case email = 1
    case sms = 2
  }

  public var id: Int64
  public var channel: Channel
  public var recipient: String
  public var template: String
  public var parameters: [String: String]
  public var createdAt: Date

  public init(id: Int64 = 0, channel: Channel, recipient: String, template: String, parameters: [String: String], createdAt: Date) {
    self.id = id
    self.channel = channel
    self.recipient = recipient
    self.template = template
    self.parameters = parameters
    self.createdAt = createdAt
  }
}
