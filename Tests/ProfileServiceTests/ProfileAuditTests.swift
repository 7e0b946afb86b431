import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfileAuditTests {
  @Test func everyChangeIsAuditedAsTheCallerWithItsMessages() async throws {
    try await ProfileTestServer.with(configure: { $0.resendInterval = .zero }) { server, client throws in
      let user = try await TestUser.create(client, email: "ada@example.com")
      let options = user.options
      let rpc = client.rpc
      _ = try await rpc.unary(Profile.updateProfile, Profile.UpdateProfileRequest(company: "Engines"), options: options)
      _ = try await rpc.unary(
        Profile.changePassword,
        Profile.ChangePasswordRequest(currentPassword: user.password, newPassword: "renewed-7", repeatPassword: "renewed-7"),
        options: options)
      _ = try await rpc.unary(
        Profile.changeEmail, Profile.ChangeEmailRequest(newEmail: "countess@example.org", currentPassword: "renewed-7"),
        options: options)
      let emailCode = try #require(try await server.outbox(recipient: "countess@example.org").last?.parameters["code"])
      _ = try await rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: emailCode), options: options)
      _ = try await rpc.unary(
        Profile.setPhone, Profile.SetPhoneRequest(phone: "+14155550123", currentPassword: "renewed-7"), options: options)
      _ = try await rpc.unary(Profile.resendPhoneCode, Empty(), options: options)
      let phoneCode = try #require(try await server.outbox(recipient: "+14155550123").last?.parameters["code"])
      _ = try await rpc.unary(Profile.verifyPhone, Profile.CodeRequest(code: phoneCode), options: options)
      _ = try await rpc.unary(Profile.removePhone, Empty(), options: options)
      _ = try await rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: ProfileAvatarTests.png), options: options)
      _ = try await rpc.unary(Profile.removeAvatar, Empty(), options: options)
      _ = try await rpc.unary(Profile.changeSubscriptionPlan, Profile.ChangePlanRequest(plan: .standard), options: options)
      // Reads write nothing.
      _ = try await rpc.unary(Profile.getProfile, Empty(), options: options)
      _ = try await rpc.unary(Profile.getSubscription, Empty(), options: options)

      let rows = try await server.services.environment.database.read { db in
        try db.rows(
          sql: "SELECT action, actor, target, request_id, peer_uid FROM audit_trail WHERE subject_user_id = ? ORDER BY id",
          user.id
        ).map { row -> (String, String, String, String, Int) in
          (try row.get(0), try row.get(1), try row.get(2), try row.get(3), try row.get(4))
        }
      }
      let profileRows = rows.dropFirst(2)  // account.create, session.create
      #expect(profileRows.map(\.0) == [
        "profile.update", "password.change", "email.change.request", "email.change", "phone.set", "phone.code.resend",
        "phone.verify", "phone.remove", "avatar.set", "avatar.remove", "subscription.change",
      ])
      #expect(profileRows.allSatisfy { $0.1 == user.id && $0.2 == user.id && $0.4 == Int(getuid()) })
      #expect(Set(profileRows.map(\.3)).count == profileRows.count)
      #expect(profileRows.allSatisfy { !$0.3.isEmpty })

      let messages = try await server.outbox()
      #expect(messages.map(\.template) == [
        "password.changed", "email.verification", "email.changed", "phone.verification", "phone.verification",
      ])
      #expect(messages.map(\.recipient) == [
        "ada@example.com", "countess@example.org", "ada@example.com", "+14155550123", "+14155550123",
      ])
    }
  }
}
