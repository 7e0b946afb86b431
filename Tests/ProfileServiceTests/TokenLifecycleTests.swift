import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct TokenLifecycleTests {
  @Test func theSecretIsShownOnceAndStoredOnlyAsAHash() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let before = Date()
      let created = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "CI deploys"), options: user.options)
      #expect(created.id.hasPrefix("tok_"))
      #expect(created.token.hasPrefix("pat_") && created.token.count > 40)
      #expect(created.name == "CI deploys")
      #expect(created.prefix == String(created.token.prefix(12)))
      // 365 days by default.
      let year: TimeInterval = 365 * 86_400
      #expect(created.expiresAt >= before.addingTimeInterval(year) && created.expiresAt <= Date().addingTimeInterval(year))

      let listed = try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options)
      #expect(listed.tokens.count == 1)
      let token = try #require(listed.tokens.first)
      #expect(token.id == created.id && token.name == "CI deploys" && token.prefix == created.prefix)
      #expect(token.expiresAt == created.expiresAt && token.lastUsedAt == nil)
      #expect(token.createdAt >= before.addingTimeInterval(-1) && token.createdAt <= Date())
      #expect(!"\(listed)".contains(created.token))

      // Only the SHA-256 is stored: the secret is nowhere in the database file or its WAL.
      let storedHash = try await server.services.environment.database.read { db in
        try db.value([UInt8].self, sql: "SELECT token_hash FROM api_tokens WHERE id = ?", created.id)
      }
      #expect(storedHash == SHA256.hash(Array(created.token.utf8)))
      let database = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite"))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite-wal"))) ?? Data()
      #expect(database.range(of: Data(created.token.utf8)) == nil)
      #expect(wal.range(of: Data(created.token.utf8)) == nil)
      #expect(try await server.auditActions(userID: user.id).filter { $0.hasPrefix("token.") } == ["token.create"])
    }
  }

  @Test func aTokenActsAsItsOwnerInThePersonalOrganization() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let created = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "script", expiresInDays: 30), options: user.options)
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token))
      #expect(profile.id == user.id && profile.email == user.email)

      let session = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: created.token))
      #expect(verified.kind == .apiToken)
      #expect(verified.userId == user.id && verified.email == user.email)
      #expect(verified.expiresAt == created.expiresAt)
      #expect(verified.organizationId == session.organizationId && verified.roles == ["owner"])
      // Cached the second time, and still the same answer.
      #expect(try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: created.token)) == verified)

      // A token may list tokens but not mint, renew or delete them.
      #expect(try await client.rpc.unary(Tokens.listTokens, Empty(), options: bearer(created.token)).tokens.map(\.id) == [created.id])
      let mint = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "child"), options: bearer(created.token))
      }
      #expect(mint?.code == .permissionDenied)
      let renew = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: created.id), options: bearer(created.token))
      }
      #expect(renew?.code == .permissionDenied)
      let delete = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: created.id), options: bearer(created.token))
      }
      #expect(delete?.code == .permissionDenied)
    }
  }

  @Test func anExpiredTokenIsUnauthenticated() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let created = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "short", expiresInDays: 1), options: user.options)
      #expect(abs(created.expiresAt.timeIntervalSinceNow - 86_400) < 60)
      try await server.services.environment.database.write { db in
        try db.execute(
          sql: "UPDATE api_tokens SET expires_at = ? WHERE id = ?", Date().addingTimeInterval(-1), created.id)
      }
      let profile = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token))
      }
      #expect(profile?.code == .unauthenticated)
      let verify = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: created.token))
      }
      #expect(verify?.code == .unauthenticated)
      // Still listed, so its owner can see it expired and regenerate or delete it.
      let listed = try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options)
      #expect(listed.tokens.map(\.id) == [created.id] && listed.tokens[0].expiresAt < Date())
      let renewed = try await client.rpc.unary(
        Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: created.id), options: user.options)
      #expect(abs(renewed.expiresAt.timeIntervalSinceNow - 86_400) < 60)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(renewed.token)).id == user.id)
    }
  }

  @Test func regeneratingStopsTheOldSecretAtOnceEvenWhenCached() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let created = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "laptop", expiresInDays: 7), options: user.options)
      // Two successful calls: the second is answered from the cache.
      for _ in 0..<2 {
        #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token)).id == user.id)
      }
      let renewed = try await client.rpc.unary(
        Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: created.id), options: user.options)
      #expect(renewed.id == created.id && renewed.name == "laptop")
      #expect(renewed.token != created.token && renewed.token.hasPrefix("pat_"))
      #expect(renewed.prefix == String(renewed.token.prefix(12)))
      // The previous lifetime is kept when none is asked for.
      #expect(abs(renewed.expiresAt.timeIntervalSinceNow - 7 * 86_400) < 60)

      let old = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token))
      }
      #expect(old?.code == .unauthenticated)
      let oldVerify = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: created.token))
      }
      #expect(oldVerify?.code == .unauthenticated)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(renewed.token)).id == user.id)

      let longer = try await client.rpc.unary(
        Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: created.id, expiresInDays: 90), options: user.options)
      #expect(abs(longer.expiresAt.timeIntervalSinceNow - 90 * 86_400) < 60)
      let listed = try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options)
      #expect(listed.tokens.map(\.prefix) == [longer.prefix] && listed.tokens[0].expiresAt == longer.expiresAt)
      #expect(try await server.rowCount("api_tokens", userID: user.id) == 1)

      // Another user's token is not found; a bad id is a field violation.
      let other = try await TestUser.create(client)
      let foreign = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: created.id), options: other.options)
      }
      #expect(foreign?.code == .notFound)
      let bad = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: "", expiresInDays: 366), options: user.options)
      }
      #expect(bad?.code == .invalidArgument)
      #expect(Set(bad?.details.fieldViolations?.map(\.field) ?? []) == ["id", "expiresInDays"])
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(longer.token)).id == user.id)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("token.") }
      #expect(actions == ["token.create", "token.regenerate", "token.regenerate"])
    }
  }

  @Test func deletingStopsTheTokenAtOnce() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      let kept = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "kept"), options: user.options)
      let created = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "gone"), options: user.options)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token)).id == user.id)

      let foreign = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: created.id), options: other.options)
      }
      #expect(foreign?.code == .notFound)
      #expect(try await client.rpc.unary(Tokens.listTokens, Empty(), options: other.options).tokens.isEmpty)

      _ = try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: created.id), options: user.options)
      let afterwards = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token))
      }
      #expect(afterwards?.code == .unauthenticated)
      let verify = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: created.token))
      }
      #expect(verify?.code == .unauthenticated)
      #expect(try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options).tokens.map(\.id) == [kept.id])
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(kept.token)).id == user.id)

      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: created.id), options: user.options)
      }
      #expect(again?.code == .notFound)
      let blank = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: ""), options: user.options)
      }
      #expect(blank?.details.fieldViolations?.map(\.field) == ["id"])
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("token.") }
      #expect(actions == ["token.create", "token.create", "token.delete"])
    }
  }

  @Test func lastUseIsGatheredAndShownInTheList() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let created = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "cron"), options: user.options)
      #expect(try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options).tokens[0].lastUsedAt == nil)
      let before = Date()
      for _ in 0..<3 {
        _ = try await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(created.token))
      }
      // Uses are gathered in memory, not written one by one...
      let unwritten = try await server.services.environment.database.read { db in
        try db.value(Date.self, sql: "SELECT last_used_at FROM api_tokens WHERE id = ?", created.id)
      }
      #expect(unwritten == nil)
      // ...and written when the list is read.
      let lastUsed = try #require(
        try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options).tokens[0].lastUsedAt)
      #expect(lastUsed >= before.addingTimeInterval(-1) && lastUsed <= Date())
      let written = try await server.services.environment.database.read { db in
        try db.value(Date.self, sql: "SELECT last_used_at FROM api_tokens WHERE id = ?", created.id)
      }
      #expect(written == lastUsed)
    }
  }

  @Test func everyMethodNeedsAValidBearer() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let created = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "x"), options: user.options)
      for options in [CallOptions(), bearer("pat_unknown"), bearer(String(created.token.dropLast()))] {
        var codes: [StatusCode?] = []
        codes.append(await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "x"), options: options)
        }?.code)
        codes.append(await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Tokens.listTokens, Empty(), options: options)
        }?.code)
        codes.append(await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: created.id), options: options)
        }?.code)
        codes.append(await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: created.id), options: options)
        }?.code)
        codes.append(await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Profile.getProfile, Empty(), options: options)
        }?.code)
        #expect(codes == Array(repeating: .unauthenticated, count: 5))
      }
      #expect(try await client.rpc.unary(Tokens.listTokens, Empty(), options: user.options).tokens.count == 1)
    }
  }
}

extension ProfileTestServer {
  /// How many rows `table` holds for the user.
  func rowCount(_ table: String, userID: String) async throws -> Int {
    try await services.environment.database.read { db in
      try db.value(Int.self, sql: "SELECT count(*) FROM \(table) WHERE user_id = ?", userID) ?? 0
    }
  }
}

/// Call options that act with an API token's secret.
func bearer(_ secret: String) -> CallOptions {
  CallOptions(metadata: ["authorization": "Bearer \(secret)"])
}

/// Call options for `user` with an `idempotency-key`.
func withIdempotencyKey(_ user: TestUser, _ key: String) -> CallOptions {
  CallOptions(metadata: ["authorization": "Bearer \(user.token)", "idempotency-key": key])
}
