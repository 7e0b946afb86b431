import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct TokenRulesTests {
  @Test func anAPITokenCannotManageSessionsPasswordOrTheAccount() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let issued = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "bot"), options: user.options)
      let sessionID = try #require(
        try await client.rpc.unary(Accounts.listSessions, Empty(), options: user.options).sessions.first?.id)
      let calls: [(String, @Sendable () async throws -> Void)] = [
        ("ListSessions", { _ = try await client.rpc.unary(Accounts.listSessions, Empty(), options: bearer(issued.token)) }),
        (
          "RevokeSession",
          {
            _ = try await client.rpc.unary(
              Accounts.revokeSession, Accounts.RevokeSessionRequest(id: sessionID), options: bearer(issued.token))
          }
        ),
        (
          "DeleteAccount",
          {
            _ = try await client.rpc.unary(
              Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: user.password),
              options: bearer(issued.token))
          }
        ),
        (
          "ChangePassword",
          {
            _ = try await client.rpc.unary(
              Profile.changePassword,
              Profile.ChangePasswordRequest(currentPassword: user.password, newPassword: "other-2", repeatPassword: "other-2"),
              options: bearer(issued.token))
          }
        ),
      ]
      for (name, call) in calls {
        let error = await #expect(throws: RPCError.self, "\(name)") { try await call() }
        #expect(error?.code == .permissionDenied, "\(name)")
      }
      // Nothing changed: the session and the account are still there.
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).id == user.id)
      #expect(try await server.rowCount("sessions", userID: user.id) == 1)
    }
  }

  @Test func anIdempotencyKeyMakesARetryReturnTheSameToken() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let request = Tokens.CreateTokenRequest(name: "deploy bot", expiresInDays: 30)
      let first = try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "create-1"))
      let retry = try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "create-1"))
      #expect(retry == first)
      #expect(try await server.rowCount("api_tokens", userID: user.id) == 1)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(retry.token)).id == user.id)
      // The kept secret is sealed: it is not in the database file or its WAL.
      let database = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite"))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite-wal"))) ?? Data()
      #expect(database.range(of: Data(first.token.utf8)) == nil && wal.range(of: Data(first.token.utf8)) == nil)

      // The same key with another request is refused, and creates nothing.
      let reused = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Tokens.createToken, Tokens.CreateTokenRequest(name: "other", expiresInDays: 30),
          options: withIdempotencyKey(user, "create-1"))
      }
      #expect(reused?.code == .failedPrecondition)
      #expect(reused?.details.preconditionViolations?.map(\.type) == ["IDEMPOTENCY_KEY_REUSED"])
      // A new key, or no key, creates another token.
      let second = try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "create-2"))
      let third = try await client.rpc.unary(Tokens.createToken, request, options: user.options)
      #expect(Set([first.id, second.id, third.id]).count == 3)
      // Keys are per user: another user's same key is theirs alone.
      let other = try await TestUser.create(client)
      let theirs = try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(other, "create-1"))
      #expect(theirs.id != first.id)
      #expect(try await server.rowCount("api_tokens", userID: user.id) == 3)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("token.") }
      #expect(actions == ["token.create", "token.create", "token.create"])
    }
  }

  @Test func aKeyIsForgottenAfterADayOrWhenItsTokenChanges() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let request = Tokens.CreateTokenRequest(name: "nightly")
      let first = try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "k1"))
      // Regenerated since: the kept secret no longer works, so the retry says so.
      _ = try await client.rpc.unary(Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: first.id), options: user.options)
      let stale = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "k1"))
      }
      #expect(stale?.code == .failedPrecondition)
      #expect(stale?.details.preconditionViolations?.map(\.type) == ["IDEMPOTENT_RESULT_GONE"])

      // A day later the key is pruned and creates anew.
      try await server.services.environment.database.write { db in
        try db.execute(
          sql: "UPDATE idempotency_keys SET created_at = ? WHERE user_id = ?", Date().addingTimeInterval(-24 * 3600 - 1),
          user.id)
      }
      let fresh = try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "k1"))
      #expect(fresh.id != first.id)
      #expect(try await server.rowCount("idempotency_keys", userID: user.id) == 1)
      #expect(try await client.rpc.unary(Tokens.createToken, request, options: withIdempotencyKey(user, "k1")) == fresh)
    }
  }

  @Test func anOrganizationCanSwitchTokensOff() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let existing = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "old"), options: user.options)
      let organizationID = try await client.rpc.unary(
        Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token)
      ).organizationId
      try await server.services.environment.database.write { db in
        try db.execute(sql: "UPDATE organizations SET api_tokens_enabled = 0 WHERE id = ?", organizationID)
      }
      let create = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "new"), options: user.options)
      }
      #expect(create?.code == .failedPrecondition)
      #expect(create?.message.contains("API tokens are switched off") == true)
      #expect(create?.details.preconditionViolations?.map(\.type) == ["API_TOKENS_DISABLED"])
      let regenerate = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: existing.id), options: user.options)
      }
      #expect(regenerate?.code == .failedPrecondition)
      #expect(try await server.rowCount("api_tokens", userID: user.id) == 1)
      // Listing and deleting still work, so tokens can be cleaned up.
      #expect(try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options).tokens.map(\.id) == [existing.id])
      _ = try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: existing.id), options: user.options)

      try await server.services.environment.database.write { db in
        try db.execute(sql: "UPDATE organizations SET api_tokens_enabled = 1 WHERE id = ?", organizationID)
      }
      _ = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "new"), options: user.options)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("token.") }
      #expect(actions == ["token.create", "token.delete", "token.create"])
    }
  }

  @Test func badFieldsGetOneViolationEachAndCreateNothing() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let both = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Tokens.createToken, Tokens.CreateTokenRequest(name: "", expiresInDays: 0),
          options: withIdempotencyKey(user, String(repeating: "k", count: 256)))
      }
      #expect(both?.code == .invalidArgument)
      #expect(Set(both?.details.fieldViolations?.map(\.field) ?? []) == ["name", "expiresInDays", "idempotency-key"])
      let cases: [(Tokens.CreateTokenRequest, String)] = [
        (.init(name: String(repeating: "n", count: 101)), "name"),
        (.init(name: "line\nbreak"), "name"),
        (.init(name: "bell\u{7}"), "name"),
        (.init(name: "   "), "name"),
        (.init(name: "ok", expiresInDays: 366), "expiresInDays"),
        (.init(name: "ok", expiresInDays: -1), "expiresInDays"),
      ]
      for (request, field) in cases {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Tokens.createToken, request, options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == [field], "\(request)")
      }
      #expect(try await server.rowCount("api_tokens", userID: user.id) == 0)
      #expect(try await server.auditActions(userID: user.id).filter { $0.hasPrefix("token.") }.isEmpty)
      // The edges that pass.
      let longest = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: String(repeating: "n", count: 100), expiresInDays: 365),
        options: withIdempotencyKey(user, String(repeating: "k", count: 255)))
      #expect(abs(longest.expiresAt.timeIntervalSinceNow - 365 * 86_400) < 60)
      let shortest = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "n", expiresInDays: 1), options: user.options)
      #expect(abs(shortest.expiresAt.timeIntervalSinceNow - 86_400) < 60)
    }
  }

  @Test func aUserHasAtMostFiftyTokens() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      try await server.services.environment.database.write { db in
        for index in 0..<49 {
          let created = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
          try db.insertAPIToken(
            APITokenRecord(
              id: "tok_seed\(index)", userID: user.id, name: "seed \(index)", tokenHash: SHA256.hash(Array("seed\(index)".utf8)),
              prefix: "pat_seed", lifetimeDays: 365, createdAt: created, expiresAt: created.addingTimeInterval(86_400),
              lastUsedAt: nil))
        }
      }
      let fiftieth = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "50"), options: user.options)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "51"), options: user.options)
      }
      #expect(error?.code == .resourceExhausted)
      #expect(error?.details.quotaViolations?.map(\.subject) == ["apiTokens"])
      let listed = try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options)
      #expect(listed.tokens.count == 50 && listed.tokens.first?.id == fiftieth.id)
      // The quota is per user; deleting one makes room again.
      _ = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "theirs"), options: other.options)
      _ = try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: "tok_seed0"), options: user.options)
      _ = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "51"), options: user.options)
      #expect(try await server.rowCount("api_tokens", userID: user.id) == 50)
    }
  }
}
