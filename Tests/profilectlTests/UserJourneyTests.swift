import Foundation
import Testing

/// The issue's walk through the profile services with nothing but profilectl: what a developer
/// does by hand beside a local profiled.
@Suite("profilectl user journey") struct UserJourneyTests {
  @Test("a new user goes from sign-up to deletion through profilectl alone")
  func fromSignUpToDeletion() async throws {
    try await TestServer.with { server in
      let token = try await ConnectionTests.signIn(server, email: "journey@example.com")
      func call(_ method: String, _ json: String) async throws -> CommandResult {
        let result = try await server.profilectl("--token", token, "call", method, json)
        try #require(result.status == 0, "\(method): \(result)")
        return result
      }

      let profile = try await call("Profile.GetProfile", "{}")
      #expect(profile.stdout.contains(#""email": "journey@example.com""#), "\(profile)")
      let updated = try await call("Profile.UpdateProfile", #"{"displayName":"Countess","company":"Analytical Engines"}"#)
      #expect(updated.stdout.contains(#""displayName": "Countess""#), "\(updated)")

      _ = try await call(
        "Profile.ChangePassword",
        #"{"currentPassword":"correct horse battery staple","newPassword":"new-secret-1","repeatPassword":"new-secret-1"}"#)

      _ = try await call("Profile.SetPhone", #"{"phone":"+34600111222","currentPassword":"new-secret-1"}"#)
      let outbox = try await server.profilectl("outbox", "--ack")
      try #require(outbox.status == 0, "\(outbox)")
      let smsLine = try #require(
        outbox.stdout.split(separator: "\n").first { $0.contains("sms +34600111222 phone.verification") },
        "\(outbox)")
      let code = try #require(smsLine.split(separator: " ").first { $0.hasPrefix("code=") }?.dropFirst(5))
      let verified = try await call("Profile.VerifyPhone", #"{"code":"\#(code)"}"#)
      #expect(verified.stdout.contains(#""phoneVerified": true"#), "\(verified)")
      // Acknowledged messages are not shown again.
      let again = try await server.profilectl("outbox")
      #expect(!again.stdout.contains("phone.verification"), "\(again)")

      let preferences = try await call(
        "Preferences.UpdatePreferences", #"{"language":"es-ES","country":"ES","timeZone":"Europe/Madrid","theme":"dark"}"#)
      #expect(preferences.stdout.contains(#""timeZone": "Europe/Madrid""#), "\(preferences)")
      _ = try await call("Notifications.UpdateNotificationSettings", #"{"securityAlerts":{"email":true,"sms":true}}"#)
      let archival = try await call(
        "Archival.UpdateArchivalSettings",
        #"{"destination":"s3","s3":{"bucket":"journey-events","region":"eu-west-1","accessKeyId":"AKIAJOURNEY000000001","secretAccessKey":"very-secret"},"intervalMinutes":30}"#)
      #expect(archival.stdout.contains(#""secretSet": true"#) && !archival.stdout.contains("very-secret"), "\(archival)")
      let connection = try await call(
        "Connections.AddConnection", #"{"application":"salesforce","displayName":"Sales","kind":"oauth2"}"#)
      #expect(connection.stdout.contains(#""application": "salesforce""#), "\(connection)")

      let audit = try await call("Audit.ListAuditEvents", #"{"limit":50}"#)
      for action in ["account.create", "profile.update", "password.change", "phone.verify", "connection.add"] {
        #expect(audit.stdout.contains(#""action":"\#(action)""#), "missing \(action): \(audit)")
      }

      _ = try await call("Accounts.DeleteAccount", #"{"currentPassword":"new-secret-1"}"#)
      let gone = try await server.profilectl("--token", token, "call", "Profile.GetProfile", "{}")
      #expect(gone.status == 16, "\(gone)")
    }
  }

  @Test("outbox validates its arguments")
  func outboxUsage() async throws {
    try await TestServer.with { server in
      let bad = try await server.profilectl("outbox", "0")
      #expect(bad.status == 64, "\(bad)")
      let empty = try await server.profilectl("outbox")
      #expect(empty.status == 0 && empty.stdout.isEmpty, "\(empty)")
    }
  }
}
