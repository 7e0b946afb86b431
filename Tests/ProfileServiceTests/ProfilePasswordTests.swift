import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfilePasswordTests {
  static func change(
    _ client: ProfileClient, _ user: TestUser, current: String? = nil, new: String, repeat again: String? = nil
  ) async throws {
    _ = try await client.rpc.unary(
      Profile.changePassword,
      Profile.ChangePasswordRequest(currentPassword: current ?? user.password, newPassword: new, repeatPassword: again ?? new),
      options: user.options)
  }

  @Test(arguments: [
    ("abcdef", "newPassword"),  // no digit or special character
    ("abc1", "newPassword"),  // too short
    ("      ", "newPassword"),  // only spaces
    ("secret-1", "newPassword"),  // the current one
  ])
  func theNewPasswordMustMeetThePolicyAndDiffer(newPassword: String, field: String) async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client, password: "secret-1")
      let error = await #expect(throws: RPCError.self) { try await Self.change(client, user, new: newPassword) }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == [field])
    }
  }

  @Test func theRepetitionMustMatchAndTheCurrentPasswordMustBeGiven() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let mismatch = await #expect(throws: RPCError.self) {
        try await Self.change(client, user, new: "renewed-7", repeat: "renewed-8")
      }
      #expect(mismatch?.code == .invalidArgument)
      #expect(mismatch?.details.fieldViolations?.map(\.field) == ["repeatPassword"])
      let all = await #expect(throws: RPCError.self) {
        try await Self.change(client, user, current: "", new: "short", repeat: "other")
      }
      #expect(Set(all?.details.fieldViolations?.map(\.field) ?? []) == ["currentPassword", "newPassword", "repeatPassword"])
      // Nothing changed: the old password still signs in.
      _ = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
    }
  }

  @Test func aStricterConfiguredPolicyApplies() async throws {
    try await ProfileTestServer.with(configure: {
      $0.passwordPolicy.minimumLength = 10
      $0.passwordPolicy.requireUppercaseAndLowercase = true
    }) { _, client throws in
      let user = try await TestUser.create(client, password: "Long-enough-1")
      for weak in ["Short-1", "lowercase-only-1"] {
        let error = await #expect(throws: RPCError.self) { try await Self.change(client, user, new: weak) }
        #expect(error?.details.fieldViolations?.map(\.field) == ["newPassword"])
      }
      try await Self.change(client, user, new: "Another-long-2")
    }
  }

  @Test func aWrongCurrentPasswordIsPermissionDenied() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await Self.change(client, user, current: "wrong-pass-1", new: "renewed-7")
      }
      #expect(error?.code == .permissionDenied)
      #expect(error?.details.fieldViolations?.map(\.field) == ["currentPassword"])
      _ = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      #expect(try await server.auditActions(userID: user.id).contains("password.change") == false)
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test func wrongCurrentPasswordsCountWithFailedSignIns() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      // A stolen session guesses the password through every call that asks for it.
      let guesses: [@Sendable () async throws -> Void] = [
        { try await Self.change(client, user, current: "guess-1", new: "renewed-7") },
        {
          _ = try await client.rpc.unary(
            Profile.changeEmail, Profile.ChangeEmailRequest(newEmail: "new@example.com", currentPassword: "guess-2"),
            options: user.options)
        },
        {
          _ = try await client.rpc.unary(
            Profile.setPhone, Profile.SetPhoneRequest(phone: "+14155550100", currentPassword: "guess-3"), options: user.options)
        },
        {
          _ = try await client.rpc.unary(
            Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: "guess-4"), options: user.options)
        },
        { try await Self.change(client, user, current: "guess-5", new: "renewed-7") },
      ]
      for guess in guesses {
        let error = await #expect(throws: RPCError.self) { try await guess() }
        #expect(error?.code == .permissionDenied)
      }
      // The sixth is refused before its hash, even with the right password, and so is a sign-in.
      let locked = await #expect(throws: RPCError.self) { try await Self.change(client, user, new: "renewed-7") }
      #expect(locked?.code == .resourceExhausted)
      #expect((locked?.details.retryAfterMilliseconds ?? 0) > 14 * 60 * 1000)
      let signIn = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect(signIn?.code == .resourceExhausted)
      let actions = try await server.auditActions(userID: user.id)
      #expect(actions.filter { $0 == "password.check.failed" }.count == 5)
      #expect(!actions.contains("password.change"))
    }
  }

  @Test func changingEndsTheOtherSessionsButNotTheCallingOne() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let other = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      let otherOptions = CallOptions(metadata: ["authorization": "Bearer \(other.token!)"])
      // Both sessions work (and are now cached).
      _ = try await client.rpc.unary(Profile.getProfile, Empty(), options: otherOptions)
      _ = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)

      try await Self.change(client, user, new: "renewed-7")

      let ended = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: otherOptions)
      }
      #expect(ended?.code == .unauthenticated)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).id == user.id)
      #expect(try await client.rpc.unary(Accounts.listSessions, Empty(), options: user.options).sessions.count == 1)

      let old = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect(old?.code == .unauthenticated)
      let new = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: "renewed-7"))
      #expect(new.userId == user.id)

      let messages = try await server.outbox(recipient: user.email)
      #expect(messages.map(\.template) == ["password.changed"])
      #expect(messages.first?.channel == 1)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "password.change" }.count == 1)
    }
  }

  @Test func theStoredHashChanges() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let hash = { @Sendable in
        try await server.services.environment.database.read { db in
          try db.value(String.self, sql: "SELECT password_hash FROM users WHERE id = ?", user.id)
        }
      }
      let before = try await hash()
      try await Self.change(client, user, new: "renewed-7")
      let after = try await hash()
      #expect(before != nil && after != nil && before != after)
      #expect(after?.contains("renewed-7") == false)
    }
  }
}
