import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct NotificationsTests {
  static let emailOnly = Notifications.Channels(email: true, sms: false)
  static let both = Notifications.Channels(email: true, sms: true)
  static let none = Notifications.Channels(email: false, sms: false)

  @Test func signUpGivesEmailForEveryCategoryAndTheAlertOff() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let settings = try await client.rpc.unary(Notifications.getNotificationSettings, Empty(), options: user.options)
      #expect(
        settings
          == Notifications.NotificationSettings(
            workflowEvents: Self.emailOnly, contactImports: Self.emailOnly, billing: Self.emailOnly,
            securityAlerts: Self.emailOnly,
            lowBalanceAlert: Notifications.LowBalanceAlert(
              enabled: false, threshold: Notifications.Money(amountMinor: 5000, currency: "EUR"),
              channels: Self.emailOnly)))
    }
  }

  @Test func partialUpdatesChangeOnlyTheGivenPartsAndAreAudited() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let before = try await client.rpc.unary(Notifications.getNotificationSettings, Empty(), options: user.options)
      let updated = try await client.rpc.unary(
        Notifications.updateNotificationSettings,
        Notifications.UpdateNotificationSettingsRequest(workflowEvents: Self.none), options: user.options)
      var expected = before
      expected.workflowEvents = Self.none
      #expect(updated == expected)

      let alert = Notifications.LowBalanceAlert(
        enabled: true, threshold: Notifications.Money(amountMinor: 1_000_000_000_000, currency: "USD"),
        channels: Self.emailOnly)
      let withAlert = try await client.rpc.unary(
        Notifications.updateNotificationSettings,
        Notifications.UpdateNotificationSettingsRequest(contactImports: Self.none, lowBalanceAlert: alert),
        options: user.options)
      expected.contactImports = Self.none
      expected.lowBalanceAlert = alert
      #expect(withAlert == expected)
      #expect(try await client.rpc.unary(Notifications.getNotificationSettings, Empty(), options: user.options) == expected)
      // Nothing given, or the stored values again: no change, no audit entry.
      _ = try await client.rpc.unary(
        Notifications.updateNotificationSettings, Notifications.UpdateNotificationSettingsRequest(), options: user.options)
      _ = try await client.rpc.unary(
        Notifications.updateNotificationSettings,
        Notifications.UpdateNotificationSettingsRequest(workflowEvents: Self.none), options: user.options)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("notifications.") }
      #expect(actions == ["notifications.update", "notifications.update"])
    }
  }

  @Test func smsNeedsAVerifiedPhoneForEachCategory() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let request = Notifications.UpdateNotificationSettingsRequest(
        workflowEvents: Self.both, contactImports: Self.emailOnly, securityAlerts: Self.both,
        lowBalanceAlert: Notifications.LowBalanceAlert(
          enabled: true, threshold: Notifications.Money(amountMinor: 0, currency: "EUR"), channels: Self.both))
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Notifications.updateNotificationSettings, request, options: user.options)
      }
      #expect(error?.code == .failedPrecondition)
      let violations = error?.details.preconditionViolations ?? []
      #expect(violations.map(\.subject) == ["workflowEvents", "securityAlerts", "lowBalanceAlert"])
      #expect(violations.allSatisfy { $0.type == "PHONE_NOT_VERIFIED" })
      // Nothing was written, not even the parts without SMS.
      let stored = try await client.rpc.unary(Notifications.getNotificationSettings, Empty(), options: user.options)
      #expect(stored.workflowEvents == Self.emailOnly && stored.lowBalanceAlert.enabled == false)

      // An unverified phone is not enough.
      try await server.services.environment.database.write { db in
        try db.execute(sql: "UPDATE users SET phone = '+34600111222', phone_verified = 0 WHERE id = ?", user.id)
      }
      await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Notifications.updateNotificationSettings, request, options: user.options)
      }
      try await server.setVerifiedPhone("+34600111222", userID: user.id)
      let updated = try await client.rpc.unary(Notifications.updateNotificationSettings, request, options: user.options)
      #expect(updated.workflowEvents == Self.both && updated.securityAlerts == Self.both)
      #expect(updated.lowBalanceAlert.channels == Self.both && updated.lowBalanceAlert.enabled)
    }
  }

  @Test func ownersMayChangeBillingNotifications() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let updated = try await client.rpc.unary(
        Notifications.updateNotificationSettings, Notifications.UpdateNotificationSettingsRequest(billing: Self.none),
        options: user.options)
      #expect(updated.billing == Self.none)
    }
  }

  @Test(arguments: [("admin", true), ("billingAdmin", true), ("member", false), ("viewer", false)])
  func billingNeedsTheBillingPermission(role: String, allowed: Bool) async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await server.services.environment.database.write { db in
        try db.execute(sql: "UPDATE memberships SET role = ? WHERE user_id = ?", role, user.id)
      }
      server.services.environment.sessions.evictAll()
      let request = Notifications.UpdateNotificationSettingsRequest(workflowEvents: Self.none, billing: Self.none)
      if allowed {
        let updated = try await client.rpc.unary(Notifications.updateNotificationSettings, request, options: user.options)
        #expect(updated.billing == Self.none)
        return
      }
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Notifications.updateNotificationSettings, request, options: user.options)
      }
      #expect(error?.code == .permissionDenied)
      let stored = try await client.rpc.unary(Notifications.getNotificationSettings, Empty(), options: user.options)
      #expect(stored.billing == Self.emailOnly && stored.workflowEvents == Self.emailOnly)
      #expect(try await server.auditActions(userID: user.id).filter { $0.hasPrefix("notifications.") }.isEmpty)
      // Without the permission the other categories still change, and so may billing's
      // unchanged value (a client sending the whole settings back).
      let others = try await client.rpc.unary(
        Notifications.updateNotificationSettings,
        Notifications.UpdateNotificationSettingsRequest(workflowEvents: Self.none, billing: Self.emailOnly),
        options: user.options)
      #expect(others.workflowEvents == Self.none && others.billing == Self.emailOnly)
    }
  }

  @Test func thresholdsMustBeARealAmountAndCurrency() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let cases: [(Int64, String, Set<String>)] = [
        (-1, "eur", ["lowBalanceAlert.threshold.amountMinor", "lowBalanceAlert.threshold.currency"]),
        (1_000_000_000_001, "EUR", ["lowBalanceAlert.threshold.amountMinor"]),
        (Int64.min, "EUR", ["lowBalanceAlert.threshold.amountMinor"]),
        (100, "XXX", ["lowBalanceAlert.threshold.currency"]),
        (100, "ABC", ["lowBalanceAlert.threshold.currency"]),
        (100, "EURO", ["lowBalanceAlert.threshold.currency"]),
        (100, "", ["lowBalanceAlert.threshold.currency"]),
        (100, "HRK", ["lowBalanceAlert.threshold.currency"]),
      ]
      for (amount, currency, fields) in cases {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Notifications.updateNotificationSettings,
            Notifications.UpdateNotificationSettingsRequest(
              lowBalanceAlert: Notifications.LowBalanceAlert(
                enabled: true, threshold: Notifications.Money(amountMinor: amount, currency: currency),
                channels: Self.emailOnly)),
            options: user.options)
        }
        #expect(error?.code == .invalidArgument)
        #expect(Set(error?.details.fieldViolations?.map(\.field) ?? []) == fields, "\(amount) \(currency)")
      }
      for (amount, currency) in [(Int64(0), "JPY"), (1_000_000_000_000, "GBP"), (12_345, "XOF")] {
        let updated = try await client.rpc.unary(
          Notifications.updateNotificationSettings,
          Notifications.UpdateNotificationSettingsRequest(
            lowBalanceAlert: Notifications.LowBalanceAlert(
              enabled: true, threshold: Notifications.Money(amountMinor: amount, currency: currency),
              channels: Self.emailOnly)),
          options: user.options)
        #expect(updated.lowBalanceAlert.threshold == Notifications.Money(amountMinor: amount, currency: currency))
      }
    }
  }

  @Test func everyMethodNeedsAToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let get = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Notifications.getNotificationSettings, Empty())
      }
      let update = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Notifications.updateNotificationSettings,
          Notifications.UpdateNotificationSettingsRequest(workflowEvents: Self.none),
          options: CallOptions(metadata: ["authorization": "Bearer pss_nope"]))
      }
      #expect(get?.code == .unauthenticated && update?.code == .unauthenticated)
    }
  }
}
