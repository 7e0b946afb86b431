import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct AccountsSignInTests {
  @Test func signUpThenSignInGivesAWorkingToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client, email: "Ada@Example.com")
      #expect(user.id.hasPrefix("usr_"))
      #expect(user.token.hasPrefix("pss_"))
      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(verified.userId == user.id)
      #expect(verified.email == "Ada@Example.com")
      #expect(verified.kind == .session)
      #expect(verified.roles == ["owner"])
      #expect(verified.organizationId.hasPrefix("org_"))
      #expect(verified.expiresAt > Date().addingTimeInterval(29 * 24 * 3600))
      // The email is matched without regard to case.
      let again = try await client.rpc.unary(
        Accounts.signIn, Accounts.SignInRequest(email: "ada@example.COM", password: user.password))
      #expect(again.userId == user.id)
    }
  }

  @Test func duplicateEmailIsAlreadyExists() async throws {
    try await ProfileTestServer.with { _, client throws in
      _ = try await TestUser.create(client, email: "dup@example.com")
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signUp,
          Accounts.SignUpRequest(email: "DUP@example.com", password: "other-2", firstName: "A", lastName: "B"))
      }
      #expect(error?.code == .alreadyExists)
      #expect(error?.details.fieldViolations?.first?.field == "email")
    }
  }

  @Test func badSignUpInputGetsOneViolationPerFieldAndWritesNothing() async throws {
    try await ProfileTestServer.with { server, client throws in
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signUp,
          Accounts.SignUpRequest(email: "not-an-email", password: "short", firstName: "", lastName: "Bad\u{07}Name"))
      }
      #expect(error?.code == .invalidArgument)
      let fields = Set(error?.details.fieldViolations?.map(\.field) ?? [])
      #expect(fields == ["email", "password", "firstName", "lastName"])
      let users = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM users")
      }
      #expect(users == 0)
    }
  }

  @Test func aHugeTextOfFewCharactersIsRefusedByItsSize() async throws {
    try await ProfileTestServer.with { server, client throws in
      // One character of 2,000,001 bytes, and a password of 3 characters and 1,203 bytes.
      let name = "a" + String(repeating: "\u{301}", count: 1_000_000)
      let password = "a1" + String(repeating: "\u{301}", count: 600) + "b"
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signUp,
          Accounts.SignUpRequest(email: "ada@example.com", password: password, firstName: name, lastName: "Lovelace"))
      }
      #expect(error?.code == .invalidArgument)
      let violations = error?.details.fieldViolations ?? []
      #expect(violations.map(\.field) == ["password", "firstName"])
      #expect(violations.allSatisfy { $0.description.contains("bytes in UTF-8") })
      let users = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM users")
      }
      #expect(users == 0)
    }
  }

  @Test(arguments: ["abcdef", "abc1", "      "])
  func passwordPolicyIsEnforced(password: String) async throws {
    try await ProfileTestServer.with { _, client throws in
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signUp, Accounts.SignUpRequest(email: "p@example.com", password: password, firstName: "A", lastName: "B"))
      }
      #expect(error?.details.fieldViolations?.map(\.field) == ["password"])
    }
  }

  @Test func wrongPasswordAndUnknownEmailLookTheSame() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let wrong = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: "wrong-1"))
      }
      let unknown = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: "nobody@example.com", password: "wrong-1"))
      }
      #expect(wrong?.code == .unauthenticated)
      #expect(wrong?.message == unknown?.message)
      #expect(unknown?.code == .unauthenticated)
    }
  }

  @Test func fiveFailuresLockTheAccountWithARetryAfter() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for _ in 0..<5 {
        await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: "wrong-1"))
        }
      }
      // Even the right password is refused now, until the window passes.
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect(error?.code == .resourceExhausted)
      let retryAfter = try #require(error?.details.retryAfterMilliseconds)
      #expect(retryAfter > 14 * 60 * 1000 && retryAfter <= 15 * 60 * 1000)
      #expect(error?.details.quotaViolations?.first?.subject == "sign-in")
    }
  }

  /// Outcomes of `count` sign-ins sent at once: nil for a session, else the error.
  static func signInsAtOnce(_ count: Int, _ client: ProfileClient, email: String, password: String) async throws
    -> [RPCError?]
  {
    try await withThrowingTaskGroup(of: RPCError?.self) { group in
      for _ in 0..<count {
        group.addTask {
          do {
            _ = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: email, password: password))
            return nil
          } catch let error as RPCError {
            return error
          }
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
  }

  @Test func wrongPasswordsSentTogetherAreHeldToTheLimit() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      // All 20 arrive while the first hashes run: the undecided checks count with the failures.
      let outcomes = try await Self.signInsAtOnce(20, client, email: user.email, password: "wrong-1")
      #expect(outcomes.filter { $0?.code == .unauthenticated }.count == 5, "\(outcomes.map { $0?.message ?? "ok" })")
      #expect(outcomes.filter { $0?.code == .resourceExhausted }.count == 15)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "session.create.failed" }.count == 5)
      let locked = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect((locked?.details.retryAfterMilliseconds ?? 0) > 14 * 60 * 1000)
    }
  }

  @Test func rightPasswordsSentTogetherLeaveNoFailures() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let outcomes = try await Self.signInsAtOnce(12, client, email: user.email, password: user.password)
      // At most five are checked at once; the others are asked to retry in a second.
      let refused = outcomes.compactMap { $0 }
      #expect(outcomes.count - refused.count >= 5)
      for error in refused {
        #expect(error.code == .resourceExhausted)
        #expect(error.details.retryAfterMilliseconds == 1000)
      }
      let failures = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM sign_in_failures")
      }
      #expect(failures == 0)
      _ = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
    }
  }

  @Test func lockoutEndsWhenTheWindowPasses() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let user = try await TestUser.create(client)
      for _ in 0..<5 {
        _ = try? await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: "wrong-1"))
      }
      clock.advance(by: 14 * 60)
      let locked = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect(locked?.code == .resourceExhausted)
      // Stored times are whole microseconds, so the wait may round up by a millisecond.
      #expect((60_000...60_001).contains(locked?.details.retryAfterMilliseconds ?? 0))
      clock.advance(by: 60)
      let signIn = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      #expect(signIn.token != nil)
    }
  }

  @Test func signOutEndsOnlyTheCallingSession() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let second = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      _ = try await client.rpc.unary(Accounts.signOut, Empty(), options: user.options)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      }
      #expect(error?.code == .unauthenticated)
      let still = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: second.token!))
      #expect(still.userId == user.id)
    }
  }

  @Test func missingOrUnknownTokensAreUnauthenticated() async throws {
    try await ProfileTestServer.with { _, client throws in
      let none = await #expect(throws: RPCError.self) { try await client.rpc.unary(Accounts.signOut, Empty()) }
      #expect(none?.code == .unauthenticated)
      let bogus = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signOut, Empty(), options: CallOptions(metadata: ["authorization": "Bearer pss_nope"]))
      }
      #expect(bogus?.code == .unauthenticated)
    }
  }

  @Test func sessionTokensAreStoredOnlyAsHashes() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let database = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite"))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite-wal"))) ?? Data()
      let secret = Data(user.token.utf8)
      #expect(database.range(of: secret) == nil)
      #expect(wal.range(of: secret) == nil)
      #expect(database.range(of: Data(user.password.utf8)) == nil && wal.range(of: Data(user.password.utf8)) == nil)
    }
  }

  @Test func everyAccountChangeIsAudited() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      _ = try await client.rpc.unary(Accounts.signOut, Empty(), options: user.options)
      let actions = try await server.services.environment.database.read { db in
        try db.rows(sql: "SELECT action FROM audit_trail WHERE subject_user_id = ? ORDER BY id", user.id)
          .map { try $0.get(0) as String }
      }
      #expect(actions == ["account.create", "session.create", "session.end"])
    }
  }

  @Test func verifyTokenRefusesUntrustedCallers() async throws {
    try await ProfileTestServer.with(configureServer: { $0.trustedUIDs = [getuid() &+ 1000] }) { _, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      }
      #expect(error?.code == .permissionDenied)
    }
  }
}

@Suite struct SignInFailureTableTests {
  @Test func failuresOlderThanTheWindowArePruned() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      for index in 0..<3 {
        _ = try? await client.rpc.unary(
          Accounts.signIn, Accounts.SignInRequest(email: "ghost\(index)@example.com", password: "wrong-1"))
      }
      clock.advance(by: 15 * 60 + 1)
      _ = try? await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: "last@example.com", password: "wrong-1"))
      let remaining = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM sign_in_failures")
      }
      #expect(remaining == 1)
    }
  }
}
