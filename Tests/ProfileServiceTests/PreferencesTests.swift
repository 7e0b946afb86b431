import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing
import WireFormat

@Suite struct PreferencesTests {
  @Test func signUpGivesTheDefaults() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let preferences = try await client.rpc.unary(Preferences.getPreferences, Empty(), options: user.options)
      #expect(
        preferences
          == Preferences.UserPreferences(
            language: "en-US", country: nil, timeZone: "UTC", theme: .system, toastNotifications: true,
            pinnedHomePage: nil))
    }
  }

  @Test func updateChangesOnlyTheGivenFieldsAndAuditsEachChange() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let updated = try await client.rpc.unary(
        Preferences.updatePreferences,
        Preferences.UpdatePreferencesRequest(language: "es-es", country: "ES", timeZone: "Europe/Madrid", theme: .dark),
        options: user.options)
      // BCP 47 tags are case-insensitive; the stored tag is the supported spelling.
      #expect(
        updated
          == Preferences.UserPreferences(
            language: "es-ES", country: "ES", timeZone: "Europe/Madrid", theme: .dark, toastNotifications: true,
            pinnedHomePage: nil))
      let toastsOff = try await client.rpc.unary(
        Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(toastNotifications: false),
        options: user.options)
      #expect(toastsOff.toastNotifications == false && toastsOff.language == "es-ES" && toastsOff.theme == .dark)
      // An empty country clears it.
      let noCountry = try await client.rpc.unary(
        Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(country: ""), options: user.options)
      #expect(noCountry.country == nil)
      #expect(try await client.rpc.unary(Preferences.getPreferences, Empty(), options: user.options) == noCountry)
      // A request that changes nothing writes nothing.
      _ = try await client.rpc.unary(
        Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(theme: .dark), options: user.options)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("preferences.") }
      #expect(actions == ["preferences.update", "preferences.update", "preferences.update"])
    }
  }

  @Test func badInputGetsOneViolationPerFieldAndChangesNothing() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Preferences.updatePreferences,
          Preferences.UpdatePreferencesRequest(
            language: "xx-XX", country: "XX", timeZone: "Mars/Base", theme: .dark, toastNotifications: false),
          options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(Set(error?.details.fieldViolations?.map(\.field) ?? []) == ["language", "country", "timeZone"])
      let stored = try await client.rpc.unary(Preferences.getPreferences, Empty(), options: user.options)
      #expect(stored.theme == .system && stored.toastNotifications)
      #expect(try await server.auditActions(userID: user.id).filter { $0.hasPrefix("preferences.") }.isEmpty)
    }
  }

  /// `UpdatePreferencesRequest` as a client built from another contract version might send it.
  struct RawThemeRequest: Codable {
    var theme: Int
    enum CodingKeys: Int, CodingKey { case theme = 4 }
  }

  @Test func anUnknownThemeIsInvalidArgument() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let known = try await Self.rawUpdate(client, RawThemeRequest(theme: 2), user)
      #expect(known.theme == .dark)
      let error = await #expect(throws: RPCError.self) { try await Self.rawUpdate(client, RawThemeRequest(theme: 7), user) }
      #expect(error?.code == .invalidArgument)
      #expect(try await client.rpc.unary(Preferences.getPreferences, Empty(), options: user.options).theme == .dark)
    }
  }

  static func rawUpdate(_ client: ProfileClient, _ request: RawThemeRequest, _ user: TestUser) async throws -> Preferences.UserPreferences {
    var responses: [Preferences.UserPreferences] = []
    let requests = [try BinaryEncoder().encode(request)]
    try await client.rpc.rawCall(method: "Preferences/UpdatePreferences", requests: requests, options: user.options) { bytes in
      responses.append(try BinaryDecoder().decode(Preferences.UserPreferences.self, from: bytes))
    }
    return try #require(responses.first)
  }

  @Test func everySupportedLanguageIsAccepted() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for language in ["en-US", "en-GB", "es-ES", "de-DE", "fr-FR", "it-IT", "pt-BR", "nl-NL", "ja-JP"] {
        let updated = try await client.rpc.unary(
          Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(language: language), options: user.options)
        #expect(updated.language == language)
      }
    }
  }

  @Test func unsupportedLanguagesAreRefused() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for language in ["en", "zh-CN", "en_US", "en-US-x-private", "", "en-US\u{0}", "ｅｎ-US"] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(language: language),
            options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["language"], "\(language.debugDescription)")
      }
    }
  }

  @Test func countriesMustBeAssignedISOCodes() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for country in ["ES", "US", "GB", "JP", "BR", "AX", "SS", "ZW"] {
        let updated = try await client.rpc.unary(
          Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(country: country), options: user.options)
        #expect(updated.country == country)
      }
      // UK and EU are reserved, XK is user-assigned, AC is exceptionally reserved.
      for country in ["UK", "EU", "XK", "AC", "XX", "es", "ESP", "E1", " ES"] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(country: country), options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["country"], "\(country)")
      }
    }
  }

  @Test func timeZonesMustBeInTheIANADatabase() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for timeZone in ["UTC", "Europe/Madrid", "America/Argentina/Buenos_Aires", "Asia/Tokyo", "America/Port-au-Prince"] {
        let updated = try await client.rpc.unary(
          Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(timeZone: timeZone), options: user.options)
        #expect(updated.timeZone == timeZone)
      }
      let refused = [
        "Mars/Base", "../etc/passwd", "/etc/passwd", "Europe/../UTC", "Europe/Madrid/", "europe/madrid", "GMT+5",
        "UTC+1", "posixrules", "localtime", "", "Europe/Madrid\u{0}", "Europe/ Madrid", String(repeating: "A", count: 65),
      ]
      for timeZone in refused {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(timeZone: timeZone), options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["timeZone"], "\(timeZone.debugDescription)")
      }
    }
  }

  @Test func pinAndUnpinTheHomePage() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      for path in ["/workflows/overview", "/reports?range=7d#top", "/contacts/caf%C3%A9", "/", "/a/b.c/..d"] {
        let pinned = try await client.rpc.unary(
          Preferences.pinHomePage, Preferences.PinHomePageRequest(path: path), options: user.options)
        #expect(pinned.pinnedHomePage == path)
      }
      let stored = try await client.rpc.unary(Preferences.getPreferences, Empty(), options: user.options)
      #expect(stored.pinnedHomePage == "/a/b.c/..d")
      let unpinned = try await client.rpc.unary(Preferences.unpinHomePage, Empty(), options: user.options)
      #expect(unpinned.pinnedHomePage == nil)
      // Unpinning again changes nothing and writes nothing.
      _ = try await client.rpc.unary(Preferences.unpinHomePage, Empty(), options: user.options)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("homepage.") }
      #expect(actions == Array(repeating: "homepage.pin", count: 5) + ["homepage.unpin"])
    }
  }

  @Test func homePagePathsThatLeadElsewhereAreRefused() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      _ = try await client.rpc.unary(Preferences.pinHomePage, Preferences.PinHomePageRequest(path: "/kept"), options: user.options)
      let refused = [
        "", "workflows", "https://evil.example", "//evil.example", "/\\evil.example", "/%2Fevil.example",
        "/%5Cevil.example", "/a/../admin", "/./a", "/a/..", "/%2e%2e/admin", "/a%2F..%2Fb", "/a\u{7}b", "/a%07b",
        "/a b", "/café", "/a\nb", "/%zz", "/" + String(repeating: "a", count: 512),
      ]
      for path in refused {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Preferences.pinHomePage, Preferences.PinHomePageRequest(path: path), options: user.options)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["path"], "\(path.debugDescription)")
      }
      // The longest path allowed is 512 characters.
      let longest = "/" + String(repeating: "a", count: 511)
      let pinned = try await client.rpc.unary(
        Preferences.pinHomePage, Preferences.PinHomePageRequest(path: longest), options: user.options)
      #expect(pinned.pinnedHomePage == longest)
    }
  }

  @Test func everyMethodNeedsAToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let bogus = CallOptions(metadata: ["authorization": "Bearer pss_nope"])
      for options in [CallOptions(), bogus] {
        let errors: [RPCError?] = [
          await #expect(throws: RPCError.self) {
            try await client.rpc.unary(Preferences.getPreferences, Empty(), options: options)
          },
          await #expect(throws: RPCError.self) {
            try await client.rpc.unary(
              Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(theme: .dark), options: options)
          },
          await #expect(throws: RPCError.self) {
            try await client.rpc.unary(Preferences.pinHomePage, Preferences.PinHomePageRequest(path: "/a"), options: options)
          },
          await #expect(throws: RPCError.self) {
            try await client.rpc.unary(Preferences.unpinHomePage, Empty(), options: options)
          },
        ]
        #expect(errors.map(\.?.code) == Array(repeating: .unauthenticated, count: 4))
      }
    }
  }
}
