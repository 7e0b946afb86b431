import ProfileAPI
import ProfileStore
import RPC

extension PreferencesService {
  /// Pins the page the portal opens after sign-in.
  func pinHomePage(_ request: Preferences.PinHomePageRequest, _ context: ServerContext) async throws -> Preferences.UserPreferences {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if let problem = HomePagePath.problem(with: request.path) { validator.fail("path", problem) }
    try validator.check()
    let path = request.path
    return try await modify(caller, action: "homepage.pin") { $0.pinnedHomePage = path }
  }

  /// Unpins the home page; nothing pinned is no change.
  func unpinHomePage(_ context: ServerContext) async throws -> Preferences.UserPreferences {
    let caller = try await environment.authenticator.caller(context)
    return try await modify(caller, action: "homepage.unpin") { $0.pinnedHomePage = nil }
  }
}
