import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfileAuthenticationTests {
  /// One call of every Profile method, with requests that would be valid.
  static let calls: [(String, @Sendable (ProfileClient, CallOptions) async throws -> Void)] = [
    ("GetProfile", { client, options in _ = try await client.rpc.unary(Profile.getProfile, Empty(), options: options) }),
    ("UpdateProfile", { client, options in
      _ = try await client.rpc.unary(Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Eve"), options: options)
    }),
    ("ChangePassword", { client, options in
      _ = try await client.rpc.unary(
        Profile.changePassword,
        Profile.ChangePasswordRequest(currentPassword: "secret-1", newPassword: "other-22", repeatPassword: "other-22"),
        options: options)
    }),
    ("ChangeEmail", { client, options in
      _ = try await client.rpc.unary(
        Profile.changeEmail, Profile.ChangeEmailRequest(newEmail: "eve@example.com", currentPassword: "secret-1"),
        options: options)
    }),
    ("ConfirmEmailChange", { client, options in
      _ = try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: "123456"), options: options)
    }),
    ("SetPhone", { client, options in
      _ = try await client.rpc.unary(
        Profile.setPhone, Profile.SetPhoneRequest(phone: "+14155550123", currentPassword: "secret-1"), options: options)
    }),
    ("VerifyPhone", { client, options in
      _ = try await client.rpc.unary(Profile.verifyPhone, Profile.CodeRequest(code: "123456"), options: options)
    }),
    ("ResendPhoneCode", { client, options in
      _ = try await client.rpc.unary(Profile.resendPhoneCode, Empty(), options: options)
    }),
    ("RemovePhone", { client, options in _ = try await client.rpc.unary(Profile.removePhone, Empty(), options: options) }),
    ("SetAvatar", { client, options in
      _ = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: ProfileAvatarTests.png), options: options)
    }),
    ("GetAvatar", { client, options in _ = try await client.rpc.unary(Profile.getAvatar, Empty(), options: options) }),
    ("RemoveAvatar", { client, options in _ = try await client.rpc.unary(Profile.removeAvatar, Empty(), options: options) }),
    ("GetSubscription", { client, options in
      _ = try await client.rpc.unary(Profile.getSubscription, Empty(), options: options)
    }),
    ("ChangeSubscriptionPlan", { client, options in
      _ = try await client.rpc.unary(
        Profile.changeSubscriptionPlan, Profile.ChangePlanRequest(plan: .enterprise), options: options)
    }),
  ]

  @Test func everyMethodIsListedHere() {
    #expect(Set(Self.calls.map(\.0)) == Set(Profile.descriptor.methods.map(\.method)))
  }

  @Test func everyMethodRefusesCallsWithoutAValidTokenAndWritesNothing() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      _ = try await client.rpc.unary(Accounts.signOut, Empty(), options: user.options)
      let refusedTokens: [(String, CallOptions)] = [
        ("none", CallOptions()),
        ("unknown", CallOptions(metadata: ["authorization": "Bearer pss_unknown"])),
        ("not bearer", CallOptions(metadata: ["authorization": "Basic \(user.token)"])),
        ("revoked", user.options),
      ]
      for (method, call) in Self.calls {
        for (kind, options) in refusedTokens {
          let error = await #expect(throws: RPCError.self, "\(method) with \(kind) token") { try await call(client, options) }
          #expect(error?.code == .unauthenticated, "\(method) with \(kind) token")
        }
      }
      let writes = try await server.services.environment.database.read { db in
        try ["avatars", "verification_codes", "outbox"].map { try db.value(Int.self, sql: "SELECT count(*) FROM \($0)") ?? -1 }
      }
      #expect(writes == [0, 0, 0])
      #expect(try await server.auditActions(userID: user.id) == ["account.create", "session.create", "session.end"])
    }
  }
}
