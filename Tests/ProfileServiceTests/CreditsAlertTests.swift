import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct CreditsAlertTests {
  static func enableAlert(
    _ user: TestUser, _ client: ProfileClient, amountMinor: Int64, email: Bool, sms: Bool, enabled: Bool = true
  ) async throws {
    _ = try await client.rpc.unary(
      Notifications.updateNotificationSettings,
      Notifications.UpdateNotificationSettingsRequest(
        lowBalanceAlert: Notifications.LowBalanceAlert(
          enabled: enabled, threshold: Notifications.Money(amountMinor: amountMinor, currency: "EUR"),
          channels: Notifications.Channels(email: email, sms: sms))),
      options: user.options)
  }

  static func alerts(_ server: ProfileTestServer) async throws -> [QueuedMessage] {
    try await server.outbox().filter { $0.template == "credits.low_balance" }
  }

  /// "If you indicate 50, we notify you when your balance is below 50": each member with the
  /// alert on hears once per fall below their threshold, on their channels, and again only
  /// after the balance went back to or above it.
  @Test func theAlertFiresOncePerCrossingOnTheChosenChannels() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      let both = try await team.member(.member, client)
      try await server.setVerifiedPhone("+14155550101", userID: both.id)
      try await Self.enableAlert(both, client, amountMinor: 5_000, email: true, sms: true)
      // SMS only, then the phone stopped being verified (a phone change in progress, say).
      let smsWithoutPhone = try await team.member(.admin, client)
      try await server.setVerifiedPhone("+14155550102", userID: smsWithoutPhone.id)
      try await Self.enableAlert(smsWithoutPhone, client, amountMinor: 5_000, email: false, sms: true)
      try await server.services.environment.database.write { db in
        try db.execute(sql: "UPDATE users SET phone_verified = 0 WHERE id = ?", smsWithoutPhone.id)
      }
      let off = try await team.member(.billingAdmin, client)
      try await Self.enableAlert(off, client, amountMinor: 5_000, email: true, sms: false, enabled: false)
      let lower = try await team.member(.member, client)
      try await Self.enableAlert(lower, client, amountMinor: 1_000, email: true, sms: false)

      try await team.add(100, client)
      try await team.consume(50, client)  // 50: not below 50
      #expect(try await Self.alerts(server).isEmpty)

      try await team.consume(1, client)  // 49: below 50
      var alerts = try await Self.alerts(server)
      #expect(alerts.map(\.recipient) == [both.email, "+14155550101", smsWithoutPhone.email])
      #expect(alerts.map(\.channel) == [1, 2, 1])
      #expect(alerts.first?.parameters == [
        "organization": "Team", "organizationId": team.organizationID, "balance": "49", "threshold": "50",
      ])

      try await team.consume(20, client)  // 29: still below, no new alert
      #expect(try await Self.alerts(server).count == 3)
      try await team.consume(20, client)  // 9: below the lower member's 10
      alerts = try await Self.alerts(server)
      #expect(alerts.count == 4 && alerts.last?.recipient == lower.email && alerts.last?.parameters["balance"] == "9")

      try await team.add(41, client)  // 50: back at the threshold, re-armed
      #expect(try await Self.alerts(server).count == 4)
      try await team.consume(2, client)  // 48: a new crossing
      alerts = try await Self.alerts(server)
      #expect(alerts.count == 7)
      #expect(Set(alerts.suffix(3).map(\.recipient)) == [both.email, "+14155550101", smsWithoutPhone.email])
      #expect(!alerts.contains { $0.recipient == off.email || $0.recipient == team.owner.email })
      #expect(!alerts.contains { $0.recipient == "+14155550102" })
    }
  }
}
