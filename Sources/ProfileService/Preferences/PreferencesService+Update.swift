import ProfileAPI
import ProfileStore
import RPC

extension PreferencesService {
  /// Changes the preferences that are set in the request; an empty `country` clears it.
  func updatePreferences(
    _ request: Preferences.UpdatePreferencesRequest, _ context: ServerContext
  ) async throws -> Preferences.UserPreferences {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    let language = request.language.flatMap(LocaleRules.supportedLanguage)
    if request.language != nil && language == nil {
      validator.fail("language", "must be one of \(LocaleRules.supportedLanguages.joined(separator: ", "))")
    }
    if let country = request.country, !country.isEmpty, !LocaleRules.isCountry(country) {
      validator.fail("country", "must be an ISO 3166-1 alpha-2 code in upper case, such as ES")
    }
    if let timeZone = request.timeZone, !LocaleRules.isTimeZone(timeZone) {
      validator.fail("timeZone", "must be an IANA time-zone name such as Europe/Madrid")
    }
    try validator.check()
    return try await modify(caller, action: "preferences.update") { record in
      if let language { record.language = language }
      if let country = request.country { record.country = country.isEmpty ? nil : country }
      if let timeZone = request.timeZone { record.timeZone = timeZone }
      if let theme = request.theme { record.theme = theme.rawValue }
      if let toasts = request.toastNotifications { record.toastNotifications = toasts }
    }
  }
}
