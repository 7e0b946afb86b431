import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Notifications`: the channels of each notification category and the low-balance alert.
public struct NotificationsService: RPCService {
  let environment: ServiceEnvironment

  /// Roles whose members hold the billing permission in their organization.
  static let billingRoles: Set<String> = ["owner", "admin", "billingAdmin"]
  /// The largest low-balance threshold, in minor units: ten billion in a two-decimal currency.
  static let maximumThresholdMinor: Int64 = 1_000_000_000_000

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Notifications.getNotificationSettings) { _, context in try await getNotificationSettings(context) }
    router.unary(Notifications.updateNotificationSettings) { request, context in
      try await updateNotificationSettings(request, context)
    }
  }

  /// The caller's notification settings.
  func getNotificationSettings(_ context: ServerContext) async throws -> Notifications.NotificationSettings {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    guard let stored = try await environment.database.read({ db in try db.notificationSettings(userID: userID) })
    else { throw Authenticator.unknownToken }
    return Self.message(stored)
  }

  static func message(_ record: NotificationSettingsRecord) -> Notifications.NotificationSettings {
    Notifications.NotificationSettings(
      workflowEvents: message(record.workflowEvents), contactImports: message(record.contactImports),
      billing: message(record.billing), securityAlerts: message(record.securityAlerts),
      lowBalanceAlert: Notifications.LowBalanceAlert(
        enabled: record.lowBalanceEnabled,
        threshold: Notifications.Money(amountMinor: record.lowBalanceAmountMinor, currency: record.lowBalanceCurrency),
        channels: message(record.lowBalanceChannels)))
  }

  static func message(_ channels: NotificationSettingsRecord.Channels) -> Notifications.Channels {
    Notifications.Channels(email: channels.email, sms: channels.sms)
  }

  static func record(_ channels: Notifications.Channels) -> NotificationSettingsRecord.Channels {
    NotificationSettingsRecord.Channels(email: channels.email, sms: channels.sms)
  }
}
