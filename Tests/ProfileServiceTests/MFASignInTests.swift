import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct MFASignInTests {
  @Test func signInAnswersAChallengeThatACodeTurnsIntoASession() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      let (app, _) = try await user.enrollMFA(client, at: clock.now)
      clock.advance(by: 30)

      let first = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      #expect(first.token == nil && first.expiresAt == nil)
      let challenge = try #require(first.challengeId)
      #expect(challenge.hasPrefix("mfc_"))
      let session = try await client.rpc.unary(
        Accounts.completeMFASignIn, Accounts.CompleteMFASignInRequest(challengeId: challenge, code: app.code(at: clock.now)))
      let token = try #require(session.token)
      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: token))
      #expect(verified.userId == user.id && verified.kind == .session)

      // A challenge ends with its first success; only its hash was stored.
      clock.advance(by: 30)
      let reused = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.completeMFASignIn, Accounts.CompleteMFASignInRequest(challengeId: challenge, code: app.code(at: clock.now)))
      }
      #expect(reused?.code == .unauthenticated)
      let stored = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM mfa_challenges")
      }
      #expect(stored == 0)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "mfa.challenge" }.count == 1)
    }
  }

  @Test func aRecoveryCodeSignsInOnce() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let user = try await TestUser.create(client)
      let (_, codes) = try await user.enrollMFA(client, at: clock.now)
      let signIn = { try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password)) }
      let session = try await client.rpc.unary(
        Accounts.completeMFASignIn,
        Accounts.CompleteMFASignInRequest(challengeId: try #require(try await signIn().challengeId), code: codes[0]))
      #expect(session.token != nil)
      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.completeMFASignIn,
          Accounts.CompleteMFASignInRequest(challengeId: try #require(try await signIn().challengeId), code: codes[0]))
      }
      #expect(again?.code == .unauthenticated)
      let status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options)
      #expect(status.recoveryCodesRemaining == 9)
    }
  }

  @Test func wrongCodesCountTowardTheSignInLimit() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let user = try await TestUser.create(client)
      let (app, _) = try await user.enrollMFA(client, at: clock.now)
      clock.advance(by: 30)
      // Two wrong passwords and three wrong codes make five failures.
      for _ in 0..<2 {
        _ = try? await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: "wrong-1"))
      }
      let challenge = try #require(
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
          .challengeId)
      let wrongCode = MFAEnrollmentTests.otherCode(than: app, at: clock.now)
      for _ in 0..<3 {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Accounts.completeMFASignIn, Accounts.CompleteMFASignInRequest(challengeId: challenge, code: wrongCode))
        }
        #expect(error?.code == .unauthenticated)
      }
      // Now even the right code, and the right password, wait for the window.
      let locked = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.completeMFASignIn, Accounts.CompleteMFASignInRequest(challengeId: challenge, code: app.code(at: clock.now)))
      }
      #expect(locked?.code == .resourceExhausted)
      #expect(locked?.details.retryAfterMilliseconds != nil)
      let password = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect(password?.code == .resourceExhausted)
    }
  }

  @Test func anExpiredOrUnknownChallengeIsUnauthenticated() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let user = try await TestUser.create(client)
      let (app, _) = try await user.enrollMFA(client, at: clock.now)
      let challenge = try #require(
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
          .challengeId)
      clock.advance(by: 5 * 60)
      for id in [challenge, "mfc_unknown"] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Accounts.completeMFASignIn, Accounts.CompleteMFASignInRequest(challengeId: id, code: app.code(at: clock.now)))
        }
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.contains("challenge") == true)
      }
      let bad = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.completeMFASignIn, Accounts.CompleteMFASignInRequest(challengeId: "", code: ""))
      }
      #expect(Set(bad?.details.fieldViolations?.map(\.field) ?? []) == ["challengeId", "code"])
    }
  }

  @Test func externalIdentitySignInIsChallengedToo() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let request = Accounts.ExternalIdentityRequest(
        provider: .google, subject: "g-1", email: "grace@example.com", firstName: "Grace", lastName: "Hopper")
      let created = try await client.rpc.unary(Accounts.signInWithExternalIdentity, request)
      let user = TestUser(id: created.userId, email: request.email, password: "", token: try #require(created.token))
      let (app, _) = try await user.enrollMFA(client, at: clock.now)
      clock.advance(by: 30)
      let challenged = try await client.rpc.unary(Accounts.signInWithExternalIdentity, request)
      #expect(challenged.token == nil)
      let session = try await client.rpc.unary(
        Accounts.completeMFASignIn,
        Accounts.CompleteMFASignInRequest(challengeId: try #require(challenged.challengeId), code: app.code(at: clock.now)))
      #expect(session.token != nil)
    }
  }
}
