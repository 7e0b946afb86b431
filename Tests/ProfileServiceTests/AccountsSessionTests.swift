import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct AccountsSessionTests {
  @Test func listSessionsMarksTheCurrentOneAndRevokeEndsAnother() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let other = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      let listed = try await client.rpc.unary(Accounts.listSessions, Empty(), options: user.options).sessions
      #expect(listed.count == 2)
      #expect(listed.filter(\.current).count == 1)
      let otherID = try #require(listed.first { !$0.current }?.id)
      _ = try await client.rpc.unary(Accounts.revokeSession, Accounts.RevokeSessionRequest(id: otherID), options: user.options)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: other.token!))
      }
      #expect(error?.code == .unauthenticated)
      #expect(try await client.rpc.unary(Accounts.listSessions, Empty(), options: user.options).sessions.count == 1)
    }
  }

  /// VerifyToken answers a cached verification on the server's loop thread
  /// (`Authenticator.cachedCaller`) and a miss from the database: both answers agree, and a
  /// signed-out session leaves the cache at once.
  @Test func verifyTokenAnswersTheSameFromTheCacheAsFromTheDatabase() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let authenticator = server.services.environment.authenticator
      let context = ServerContext(
        method: "Accounts/VerifyToken", metadata: [:], deadline: nil,
        peer: PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()), requestID: "test")
      #expect(try authenticator.cachedCaller(token: user.token, context: context) == nil)

      let fromDatabase = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      let cached = try #require(try authenticator.cachedCaller(token: user.token, context: context))
      #expect(cached.userID == user.id)
      let fromCache = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(fromCache == fromDatabase)
      #expect(fromCache.userId == user.id)

      let tooLong = String(repeating: "t", count: 513)
      let refused = #expect(throws: RPCError.self) { try authenticator.cachedCaller(token: tooLong, context: context) }
      #expect(refused?.code == .unauthenticated)

      _ = try await client.rpc.unary(Accounts.signOut, Empty(), options: user.options)
      #expect(try authenticator.cachedCaller(token: user.token, context: context) == nil)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      }
      #expect(error?.code == .unauthenticated)
    }
  }

  @Test func lastUsedIsRecordedWithoutAWritePerCall() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for _ in 0..<20 {
        _ = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      }
      let session = try #require(try await client.rpc.unary(Accounts.listSessions, Empty(), options: user.options).sessions.first)
      let lastUsed = try #require(session.lastUsedAt)
      #expect(lastUsed >= session.createdAt)
      #expect(abs(lastUsed.timeIntervalSinceNow) < 60)
    }
  }

  /// A flush of last-use times that fails (here its caller is cancelled before the write) gives
  /// them back, so the next flush writes them instead of losing them.
  @Test func lastUseTimesSurviveAFailedFlush() async throws {
    let clock = TestClock(Date(timeIntervalSince1970: 1_780_000_000))
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      clock.advance(by: 3_600)
      _ = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      let environment = server.services.environment
      let cancelled = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        try await environment.flushSessionUse()
      }
      await #expect(throws: CancellationError.self) { try await cancelled.value }
      try await environment.flushSessionUse()
      let written = try await environment.database.read { db in
        try db.value(Date.self, sql: "SELECT last_used_at FROM sessions WHERE user_id = ?", user.id)
      }
      #expect(written == clock.now)
    }
  }

  @Test func aUserCannotRevokeAnotherUsersSession() async throws {
    try await ProfileTestServer.with { _, client throws in
      let alice = try await TestUser.create(client)
      let bob = try await TestUser.create(client)
      let bobSession = try #require(try await client.rpc.unary(Accounts.listSessions, Empty(), options: bob.options).sessions.first)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.revokeSession, Accounts.RevokeSessionRequest(id: bobSession.id), options: alice.options)
      }
      #expect(error?.code == .notFound)
      #expect(try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: bob.token)).userId == bob.id)
    }
  }

  @Test func externalIdentityCreatesTheAccountOnceWithTheCompanyFromTheDomain() async throws {
    try await ProfileTestServer.with { server, client throws in
      let request = Accounts.ExternalIdentityRequest(
        provider: .google, subject: "g-123", email: "grace@navy-labs.example", firstName: "Grace", lastName: "Hopper")
      let first = try await client.rpc.unary(Accounts.signInWithExternalIdentity, request)
      #expect(first.created == true)
      #expect(first.token != nil)
      let second = try await client.rpc.unary(Accounts.signInWithExternalIdentity, request)
      #expect(second.created == nil)
      #expect(second.userId == first.userId)
      let (company, method, hash) = try await server.services.environment.database.read { db in
        let row = try #require(try db.row(sql: "SELECT company, authentication_method, password_hash FROM users WHERE id = ?", first.userId))
        return (try row.get(0) as String?, try row.get(1) as Int, try row.get(2) as String?)
      }
      #expect(company == "Navy-labs")
      #expect(method == Profile.AuthenticationMethod.google.rawValue)
      #expect(hash == nil)
      // Such an account has no password: password sign-in fails like any wrong password.
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: "grace@navy-labs.example", password: "anything-1"))
      }
      #expect(error?.code == .unauthenticated)
    }
  }

  @Test func companyIsNotGuessedFromFreeMailDomains() {
    #expect(AccountsService.company(fromEmail: "x@gmail.com") == nil)
    #expect(AccountsService.company(fromEmail: "x@acme.io") == "Acme")
  }

  @Test func externalIdentityIsForTrustedCallersOnlyAndValidated() async throws {
    try await ProfileTestServer.with { _, client throws in
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signInWithExternalIdentity,
          Accounts.ExternalIdentityRequest(provider: .azure, subject: "", email: "bad", firstName: "", lastName: "L"))
      }
      #expect(error?.code == .invalidArgument)
      #expect(Set(error?.details.fieldViolations?.map(\.field) ?? []) == ["subject", "email", "firstName"])
    }
  }
}
