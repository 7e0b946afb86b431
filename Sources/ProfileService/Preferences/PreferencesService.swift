import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Preferences`: language, country, time zone, theme, toasts and the pinned home page.
public struct PreferencesService: RPCService {
  let environment: ServiceEnvironment

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Preferences.getPreferences) { _, context in try await getPreferences(context) }
    router.unary(Preferences.updatePreferences) { request, context in try await updatePreferences(request, context) }
    router.unary(Preferences.pinHomePage) { request, context in try await pinHomePage(request, context) }
    router.unary(Preferences.unpinHomePage) { _, context in try await unpinHomePage(context) }
  }

  /// The caller's preferences.
  func getPreferences(_ context: ServerContext) async throws -> Preferences.UserPreferences {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    guard let stored = try await environment.database.read({ db in try db.preferences(userID: userID) }) else {
      throw Authenticator.unknownToken
    }
    return Self.message(stored)
  }

  /// Applies `change` to the caller's stored preferences in one write; when that changes
  /// anything, stores the result with an audit entry `action`. Returns the preferences as stored.
  func modify(
    _ caller: Caller, action: String, _ change: @escaping @Sendable (inout PreferencesRecord) -> Void
  ) async throws -> Preferences.UserPreferences {
    let mutation = caller.mutation()
    let userID = caller.userID
    let stored = try await environment.database.write { db -> PreferencesRecord? in
      guard var record = try db.preferences(userID: userID) else { return nil }
      let before = record
      change(&record)
      if record != before {
        try db.updatePreferences(record)
        try db.audit(action, subject: userID, target: userID, context: mutation)
      }
      return record
    }
    guard let stored else { throw Authenticator.unknownToken }
    return Self.message(stored)
  }

  static func message(_ record: PreferencesRecord) -> Preferences.UserPreferences {
    Preferences.UserPreferences(
      language: record.language, country: record.country, timeZone: record.timeZone,
      theme: Preferences.Theme(rawValue: record.theme) ?? .system, toastNotifications: record.toastNotifications,
      pinnedHomePage: record.pinnedHomePage)
  }
}
