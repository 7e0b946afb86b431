/// One row of `notification_settings`: the channels of each notification category and the
/// low-balance alert.
public struct NotificationSettingsRecord: Sendable, Equatable {
  /// Which channels a category uses.
  public struct Channels: Sendable, Equatable {
    public var email: Bool
    public var sms: Bool

    public init(email: Bool, sms: Bool) {
      self.email = email
      self.sms = sms
    }
  }

  public var userID: String
  public var workflowEvents: Channels
  public var contactImports: Channels
  public var billing: Channels
  public var securityAlerts: Channels
  public var lowBalanceEnabled: Bool
  /// The alert threshold in minor units (cents).
  public var lowBalanceAmountMinor: Int64
  /// ISO 4217.
  public var lowBalanceCurrency: String
  public var lowBalanceChannels: Channels

  public init(
    userID: String, workflowEvents: Channels, contactImports: Channels, billing: Channels, securityAlerts: Channels,
    lowBalanceEnabled: Bool, lowBalanceAmountMinor: Int64, lowBalanceCurrency: String, lowBalanceChannels: Channels
  ) {
    self.userID = userID
    self.workflowEvents = workflowEvents
    self.contactImports = contactImports
    self.billing = billing
    self.securityAlerts = securityAlerts
    self.lowBalanceEnabled = lowBalanceEnabled
    self.lowBalanceAmountMinor = lowBalanceAmountMinor
    self.lowBalanceCurrency = lowBalanceCurrency
    self.lowBalanceChannels = lowBalanceChannels
  }
}
