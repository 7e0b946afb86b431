public import RPC
public import WireFormat

/// Language, region, time zone, theme, toasts and the pinned home page.
public enum Preferences {
  public static let getPreferences = MethodDescriptor<Empty, UserPreferences>(
    service: "Preferences", method: "GetPreferences", kind: .unary)
  public static let updatePreferences = MethodDescriptor<UpdatePreferencesRequest, UserPreferences>(
    service: "Preferences", method: "UpdatePreferences", kind: .unary)
  public static let pinHomePage = MethodDescriptor<PinHomePageRequest, UserPreferences>(
    service: "Preferences", method: "PinHomePage", kind: .unary)
  public static let unpinHomePage = MethodDescriptor<Empty, UserPreferences>(
    service: "Preferences", method: "UnpinHomePage", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Preferences",
    methods: [getPreferences.info, updatePreferences.info, pinHomePage.info, unpinHomePage.info])

  public enum Theme: Int, WireEnum {
    case system = 0
    case light = 1
    case dark = 2
  }

  public struct UserPreferences: Codable, Sendable, Equatable {
    /// A BCP 47 tag from the supported list, such as `en-US` or `es-ES`.
    public var language: String
    /// ISO 3166-1 alpha-2, such as `ES`.
    public var country: String?
    /// An IANA time-zone name, such as `Europe/Madrid`.
    public var timeZone: String
    public var theme: Theme
    public var toastNotifications: Bool
    /// The path the portal opens after sign-in, when one is pinned.
    public var pinnedHomePage: String?

    public init(language: String, country: String?, timeZone: String, theme: Theme, toastNotifications: Bool, pinnedHomePage: String?) {
      self.language = language
      self.country = country
      self.timeZone = timeZone
      self.theme = theme
      self.toastNotifications = toastNotifications
      self.pinnedHomePage = pinnedHomePage
    }

    enum CodingKeys: Int, CodingKey {
      case language = 1, country = 2, timeZone = 3, theme = 4, toastNotifications = 5, pinnedHomePage = 6
    }
  }

  /// Changes only the fields that are set.
  public struct UpdatePreferencesRequest: Codable, Sendable, Equatable {
    public var language: String?
    public var country: String?
    public var timeZone: String?
    public var theme: Theme?
    public var toastNotifications: Bool?

    public init(language: String? = nil, country: String? = nil, timeZone: String? = nil, theme: Theme? = nil, toastNotifications: Bool? = nil) {
      self.language = language
      self.country = country
      self.timeZone = timeZone
      self.theme = theme
      self.toastNotifications = toastNotifications
    }

    enum CodingKeys: Int, CodingKey {
      case language = 1, country = 2, timeZone = 3, theme = 4, toastNotifications = 5
    }
  }

  public struct PinHomePageRequest: Codable, Sendable, Equatable {
    /// An absolute portal path such as `/workflows/overview`.
    public var path: String
    public init(path: String) { self.path = path }
    enum CodingKeys: Int, CodingKey { case path = 1 }
  }
}
