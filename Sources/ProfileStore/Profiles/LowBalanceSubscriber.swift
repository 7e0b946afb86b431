/// A member of an organization with the low-balance alert on, as the credits service needs
/// them to decide whether a balance change crosses their threshold.
public struct LowBalanceSubscriber: Sendable, Equatable {
  public var userID: String
  public var email: String
  /// The phone, only when it is verified.
  public var verifiedPhone: String?
  /// The threshold in hundredths (`Notifications.Money.amountMinor`).
  public var thresholdMinor: Int64
  public var currency: String
  public var channels: NotificationSettingsRecord.Channels
  /// Whether the member was alerted and the balance has not been back at or above their
  /// threshold since.
  public var alerted: Bool

  public init(
    userID: String, email: String, verifiedPhone: String?, thresholdMinor: Int64, currency: String,
    channels: NotificationSettingsRecord.Channels, alerted: Bool
  ) {
    self.userID = userID
    self.email = email
    self.verifiedPhone = verifiedPhone
    self.thresholdMinor = thresholdMinor
    self.currency = currency
    self.channels = channels
    self.alerted = alerted
  }
}
