import ProfileAPI
import ProfileStore
import RPC

extension NotificationsService {
  /// Changes the parts of the settings that are set in the request.
  ///
  /// - Throws: `INVALID_ARGUMENT` for a bad threshold; `PERMISSION_DENIED` when the billing
  ///   channels would change without the billing permission; `FAILED_PRECONDITION` (one violation
  ///   per category) when SMS is asked for without a verified phone.
  func updateNotificationSettings(
    _ request: Notifications.UpdateNotificationSettingsRequest, _ context: ServerContext
  ) async throws -> Notifications.NotificationSettings {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if let alert = request.lowBalanceAlert {
      validator.integer("lowBalanceAlert.threshold.amountMinor", alert.threshold.amountMinor, in: 0...Self.maximumThresholdMinor)
      if !CurrencyCodes.isCurrency(alert.threshold.currency) {
        validator.fail("lowBalanceAlert.threshold.currency", "must be an ISO 4217 currency code such as EUR")
      }
    }
    try validator.check()

    let requestedChannels: [(category: String, channels: Notifications.Channels?)] = [
      ("workflowEvents", request.workflowEvents), ("contactImports", request.contactImports),
      ("billing", request.billing), ("securityAlerts", request.securityAlerts),
      ("lowBalanceAlert", request.lowBalanceAlert?.channels),
    ]
    let smsRequested = requestedChannels.filter { $0.channels?.sms == true }.map(\.category)
    let mayChangeBilling = caller.role.map(Self.billingRoles.contains) ?? false
    let mutation = caller.mutation()
    let userID = caller.userID
    let stored = try await environment.database.write { db -> NotificationSettingsRecord? in
      guard var record = try db.notificationSettings(userID: userID), let user = try db.user(id: userID) else {
        return nil
      }
      let before = record
      if let channels = request.workflowEvents { record.workflowEvents = Self.record(channels) }
      if let channels = request.contactImports { record.contactImports = Self.record(channels) }
      if let channels = request.billing { record.billing = Self.record(channels) }
      if let channels = request.securityAlerts { record.securityAlerts = Self.record(channels) }
      if let alert = request.lowBalanceAlert {
        record.lowBalanceEnabled = alert.enabled
        record.lowBalanceAmountMinor = alert.threshold.amountMinor
        record.lowBalanceCurrency = alert.threshold.currency
        record.lowBalanceChannels = Self.record(alert.channels)
      }
      if record.billing != before.billing && !mayChangeBilling {
        throw RPCError(
          .permissionDenied, "changing billing notifications needs the billing permission in this organization")
      }
      if !smsRequested.isEmpty && !(user.phone != nil && user.phoneVerified) {
        throw RPCError(
          .failedPrecondition, "SMS notifications need a verified phone number",
          details: ErrorDetails(
            preconditionViolations: smsRequested.map { category in
              .init(type: "PHONE_NOT_VERIFIED", subject: category, description: "SMS needs a verified phone number")
            }))
      }
      if record != before {
        try db.updateNotificationSettings(record)
        try db.audit("notifications.update", subject: userID, target: userID, context: mutation)
      }
      return record
    }
    guard let stored else { throw Authenticator.unknownToken }
    return Self.message(stored)
  }
}
