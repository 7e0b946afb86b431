/// One row of `preferences`: a user's language, region, time zone, theme, toasts and pinned page.
public struct PreferencesRecord: Sendable, Equatable {
  public var userID: String
  /// A BCP 47 tag from the supported list.
  public var language: String
  /// ISO 3166-1 alpha-2, or nil when none is chosen.
  public var country: String?
  /// An IANA time-zone name.
  public var timeZone: String
  /// `Preferences.Theme` raw value.
  public var theme: Int
  public var toastNotifications: Bool
  public var pinnedHomePage: String?

  public init(
    userID: String, language: String, country: String?, timeZone: String, theme: Int, toastNotifications: Bool,
    pinnedHomePage: String?
  ) {
    self.userID = userID
    self.language = language
    self.country = country
    self.timeZone = timeZone
    self.theme = theme
    self.toastNotifications = toastNotifications
    self.pinnedHomePage = pinnedHomePage
  }
}
