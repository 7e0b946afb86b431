public import RPC

/// Which channels each kind of notification uses, and the low-balance alert.
public enum Notifications {
  public static let getNotificationSettings = MethodDescriptor<Empty, NotificationSettings>(
    service: "Notifications", method: "GetNotificationSettings", kind: .unary)
  public static let updateNotificationSettings = MethodDescriptor<
    UpdateNotificationSettingsRequest, NotificationSettings
  >(service: "Notifications", method: "UpdateNotificationSettings", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Notifications", methods: [getNotificationSettings.info, updateNotificationSettings.info])

  public struct Channels: Codable, Sendable, Equatable {
    public var email: Bool
    /// Needs a verified phone.
    public var sms: Bool
    public init(email: Bool, sms: Bool) {
      self.email = email
      self.sms = sms
    }
    enum CodingKeys: Int, CodingKey { case email = 1, sms = 2 }
  }

  public struct Money: Codable, Sendable, Equatable {
    /// In minor units (cents): 5000 is 50.00.
    public var amountMinor: Int64
    /// ISO 4217, such as `EUR`.
    public var currency: String
    public init(amountMinor: Int64, currency: String) {
      self.amountMinor = amountMinor
      self.currency = currency
    }
    enum CodingKeys: Int, CodingKey { case amountMinor = 1, currency = 2 }
  }

  public struct LowBalanceAlert: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// The alert fires when the balance falls below this.
    public var threshold: Money
    public var channels: Channels
    public init(enabled: Bool, threshold: Money, channels: Channels) {
      self.enabled = enabled
      self.threshold = threshold
      self.channels = channels
    }
    enum CodingKeys: Int, CodingKey { case enabled = 1, threshold = 2, channels = 3 }
  }

  public struct NotificationSettings: Codable, Sendable, Equatable {
    public var workflowEvents: Channels
    public var contactImports: Channels
    /// Needs the billing permission in the current organization to change.
    public var billing: Channels
    public var securityAlerts: Channels
    public var lowBalanceAlert: LowBalanceAlert

    public init(workflowEvents: Channels, contactImports: Channels, billing: Channels, securityAlerts: Channels, lowBalanceAlert: LowBalanceAlert) {
      self.workflowEvents = workflowEvents
      self.contactImports = contactImports
      self.billing = billing
      self.securityAlerts = securityAlerts
      self.lowBalanceAlert = lowBalanceAlert
    }

    enum CodingKeys: Int, CodingKey {
      case workflowEvents = 1, contactImports = 2, billing = 3, securityAlerts = 4, lowBalanceAlert = 5
    }
  }

  /// Changes only the parts that are set.
  public struct UpdateNotificationSettingsRequest: Codable, Sendable, Equatable {
    public var workflowEvents: Channels?
    public var contactImports: Channels?
    public var billing: Channels?
    public var securityAlerts: Channels?
    public var lowBalanceAlert: LowBalanceAlert?

    public init(workflowEvents: Channels? = nil, contactImports: Channels? = nil, billing: Channels? = nil, securityAlerts: Channels? = nil, lowBalanceAlert: LowBalanceAlert? = nil) {
      self.workflowEvents = workflowEvents
      self.contactImports = contactImports
      self.billing = billing
      self.securityAlerts = securityAlerts
      self.lowBalanceAlert = lowBalanceAlert
    }

    enum CodingKeys: Int, CodingKey {
      case workflowEvents = 1, contactImports = 2, billing = 3, securityAlerts = 4, lowBalanceAlert = 5
    }
  }
}
