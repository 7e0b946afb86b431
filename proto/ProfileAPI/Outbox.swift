public import Foundation
public import RPC
public import WireFormat

/// Messages waiting for the delivery services (SMS and email): at-least-once, nothing lost.
public enum Outbox {
  /// Up to `max` undelivered messages, oldest first. A message is returned again until acknowledged.
  public static let pull = MethodDescriptor<PullRequest, PullResponse>(
    service: "Outbox", method: "Pull", kind: .unary, access: .trustedCallersOnly)
  /// Marks messages delivered.
  public static let ack = MethodDescriptor<AckRequest, AckResponse>(
    service: "Outbox", method: "Ack", kind: .unary, access: .trustedCallersOnly)

  public static let descriptor = ServiceDescriptor(name: "Outbox", methods: [pull.info, ack.info])

  public enum Channel: Int, WireEnum {
    case email = 1
    case sms = 2
  }

  public struct Message: Codable, Sendable, Equatable {
    public var id: Int64
    public var channel: Channel
    /// An email address or an E.164 phone number.
    public var recipient: String
    /// What to send, such as `phone.verification` or `email.changed`.
    public var template: String
    /// Template parameters; a verification code is `code`.
    public var parameters: [String: String]
    public var created: Date
    public init(id: Int64, channel: Channel, recipient: String, template: String, parameters: [String: String], created: Date) {
      self.id = id
      self.channel = channel
      self.recipient = recipient
      self.template = template
      self.parameters = parameters
      self.created = created
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, channel = 2, recipient = 3, template = 4, parameters = 5, created = 6
    }
  }

  public struct PullRequest: Codable, Sendable, Equatable {
    /// 1 to 500; default 100.
    public var max: Int?
    public init(max: Int? = nil) { self.max = max }
    enum CodingKeys: Int, CodingKey { case max = 1 }
  }

  public struct PullResponse: Codable, Sendable, Equatable {
    public var messages: [Message]
    public init(messages: [Message]) { self.messages = messages }
    enum CodingKeys: Int, CodingKey { case messages = 1 }
  }

  public struct AckRequest: Codable, Sendable, Equatable {
    public var ids: [Int64]
    public init(ids: [Int64]) { self.ids = ids }
    enum CodingKeys: Int, CodingKey { case ids = 1 }
  }

  public struct AckResponse: Codable, Sendable, Equatable {
    /// How many of the ids were pending (the rest were already acknowledged or unknown).
    public var acknowledged: Int
    public init(acknowledged: Int) { self.acknowledged = acknowledged }
    enum CodingKeys: Int, CodingKey { case acknowledged = 1 }
  }
}
