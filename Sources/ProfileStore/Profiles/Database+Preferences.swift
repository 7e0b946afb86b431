extension Database {
  private static let preferencesColumns =
    "user_id, language, country, time_zone, theme, toast_notifications, pinned_home_page"

  /// The user's preferences; nil when the user does not exist (every account gets a row at sign-up).
  public func preferences(userID: String) throws -> PreferencesRecord? {
    try row(sql: "SELECT \(Self.preferencesColumns) FROM preferences WHERE user_id = ?", userID).map { row in
      PreferencesRecord(
        userID: try row.get(0), language: try row.get(1), country: try row.get(2), timeZone: try row.get(3),
        theme: try row.get(4), toastNotifications: try row.get(5), pinnedHomePage: try row.get(6))
    }
  }

  /// Writes every column of `preferences`; returns false when the user has no row.
  @discardableResult
  public func updatePreferences(_ preferences: PreferencesRecord) throws -> Bool {
    try execute(
      sql: """
        UPDATE preferences SET language = ?, country = ?, time_zone = ?, theme = ?, toast_notifications = ?,
          pinned_home_page = ?
        WHERE user_id = ?
        """,
      preferences.language, preferences.country, preferences.timeZone, Int64(preferences.theme),
      preferences.toastNotifications, preferences.pinnedHomePage, preferences.userID)
    return changes == 1
  }
}
