extension Database {
  /// Default preferences at sign-up: English (US), no country, UTC, the system theme, toasts on.
  public static let defaultLanguage = "en-US"
  public static let defaultTimeZone = "UTC"
  /// Default archival interval: hourly.
  public static let defaultArchivalIntervalMinutes = 60

  /// Writes the default preferences, notification and archival settings of a new user: every
  /// notification category by email and none by SMS (no phone is verified yet); the low-balance
  /// alert off, at 50.00 EUR by email; archival off.
  public func insertDefaultSettings(userID: String) throws {
    try execute(
      sql: """
        INSERT INTO preferences (user_id, language, country, time_zone, theme, toast_notifications, pinned_home_page)
        VALUES (?, ?, NULL, ?, 0, 1, NULL)
        """, userID, Self.defaultLanguage, Self.defaultTimeZone)
    try execute(
      sql: """
        INSERT INTO notification_settings (user_id, workflow_email, workflow_sms, contacts_email, contacts_sms,
          billing_email, billing_sms, security_email, security_sms, low_balance_enabled, low_balance_amount,
          low_balance_currency, low_balance_email, low_balance_sms)
        VALUES (?, 1, 0, 1, 0, 1, 0, 1, 0, 0, 5000, 'EUR', 1, 0)
        """, userID)
    try execute(
      sql: "INSERT INTO archival_settings (user_id, destination, interval_minutes) VALUES (?, 0, ?)",
      userID, Int64(Self.defaultArchivalIntervalMinutes))
  }
}
