extension Database {
  private static let notificationColumns = """
    user_id, workflow_email, workflow_sms, contacts_email, contacts_sms, billing_email, billing_sms,
    security_email, security_sms, low_balance_enabled, low_balance_amount, low_balance_currency,
    low_balance_email, low_balance_sms
    """

  /// The user's notification settings; nil when the user does not exist.
  public func notificationSettings(userID: String) throws -> NotificationSettingsRecord? {
    try row(sql: "SELECT \(Self.notificationColumns) FROM notification_settings WHERE user_id = ?", userID).map {
      row in
      NotificationSettingsRecord(
        userID: try row.get(0),
        workflowEvents: .init(email: try row.get(1), sms: try row.get(2)),
        contactImports: .init(email: try row.get(3), sms: try row.get(4)),
        billing: .init(email: try row.get(5), sms: try row.get(6)),
        securityAlerts: .init(email: try row.get(7), sms: try row.get(8)),
        lowBalanceEnabled: try row.get(9), lowBalanceAmountMinor: try row.get(10),
        lowBalanceCurrency: try row.get(11),
        lowBalanceChannels: .init(email: try row.get(12), sms: try row.get(13)))
    }
  }

  /// Writes every column of `settings`; returns false when the user has no row.
  @discardableResult
  public func updateNotificationSettings(_ settings: NotificationSettingsRecord) throws -> Bool {
    try execute(
      sql: """
        UPDATE notification_settings SET workflow_email = ?, workflow_sms = ?, contacts_email = ?,
          contacts_sms = ?, billing_email = ?, billing_sms = ?, security_email = ?, security_sms = ?,
          low_balance_enabled = ?, low_balance_amount = ?, low_balance_currency = ?, low_balance_email = ?,
          low_balance_sms = ?
        WHERE user_id = ?
        """,
      arguments: [
        settings.workflowEvents.email, settings.workflowEvents.sms,
        settings.contactImports.email, settings.contactImports.sms,
        settings.billing.email, settings.billing.sms,
        settings.securityAlerts.email, settings.securityAlerts.sms,
        settings.lowBalanceEnabled, settings.lowBalanceAmountMinor, settings.lowBalanceCurrency,
        settings.lowBalanceChannels.email, settings.lowBalanceChannels.sms,
        settings.userID,
      ])
    return changes == 1
  }
}
