import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct MFAEnrollmentTests {
  @Test func enrollingWithAnAppCodeTurnsMFAOnWithTenRecoveryCodes() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client, email: "ada+mfa@example.com")
      var status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options)
      #expect(!status.enabled && !status.enrollmentPending && !status.enforcedByOrganization)

      let enrollment = try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: user.options)
      #expect(enrollment.secret.count == 32)  // 160 bits in unpadded base32
      #expect(
        enrollment.uri
          == "otpauth://totp/profiled:ada%2Bmfa%40example.com?secret=\(enrollment.secret)&issuer=profiled"
          + "&algorithm=SHA1&digits=6&period=30")
      status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options)
      #expect(!status.enabled && status.enrollmentPending)

      let app = try TestAuthenticatorApp(base32: enrollment.secret)
      let confirmed = try await client.rpc.unary(
        MFA.confirmEnrollment, MFA.CodeRequest(code: app.code(at: clock.now)), options: user.options)
      #expect(confirmed.recoveryCodes.count == 10)
      #expect(Set(confirmed.recoveryCodes).count == 10)
      #expect(confirmed.recoveryCodes.allSatisfy { $0.wholeMatch(of: /[a-z2-7]{5}-[a-z2-7]{5}/) != nil })
      status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options)
      #expect(status.enabled && !status.enrollmentPending && status.recoveryCodesRemaining == 10)

      // Neither the secret nor a recovery code is in the database file in the clear.
      let (sealed, hashes) = try await server.services.environment.database.read { db in
        (
          try db.value([UInt8].self, sql: "SELECT secret FROM mfa_factors WHERE user_id = ?", user.id),
          try db.rows(sql: "SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?", user.id).map { row -> [UInt8] in
            try row.get(0)
          }
        )
      }
      let stored = try #require(sealed)
      #expect(!stored.contains(app.secret) && !Data(stored).contains(Data(enrollment.secret.utf8)))
      #expect(hashes.count == 10 && hashes.allSatisfy { $0.count == 32 })
      let file = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite"))
      for code in confirmed.recoveryCodes {
        #expect(file.range(of: Data(code.utf8)) == nil)
        #expect(file.range(of: Data(code.replacingOccurrences(of: "-", with: "").utf8)) == nil)
      }
      #expect(try await server.outbox(recipient: user.email).map(\.template) == ["mfa.enabled"])
      let actions = try await server.auditActions(userID: user.id)
      #expect(actions.contains("mfa.enrollment.begin") && actions.contains("mfa.enable"))
    }
  }

  @Test func driftedByOneStepIsAcceptedReplayedAndOlderAreNot() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      let enrollment = try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: user.options)
      let app = try TestAuthenticatorApp(base32: enrollment.secret)
      let now = clock.now

      // A wrong code is refused on the field and changes nothing.
      let wrong = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          MFA.confirmEnrollment, MFA.CodeRequest(code: Self.otherCode(than: app, at: now)), options: user.options)
      }
      #expect(wrong?.code == .invalidArgument)
      #expect(wrong?.details.fieldViolations?.map(\.field) == ["code"])
      #expect(try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options).enabled == false)

      // The app's clock 30 s behind: accepted.
      _ = try await client.rpc.unary(
        MFA.confirmEnrollment, MFA.CodeRequest(code: app.code(at: now - 30)), options: user.options)
      let regenerate = { (code: String) in
        try await client.rpc.unary(MFA.regenerateRecoveryCodes, MFA.CodeRequest(code: code), options: user.options)
      }
      // The same code again, and one from two steps back: refused.
      for code in [app.code(at: now - 30), app.code(at: now - 60)] {
        let error = await #expect(throws: RPCError.self) { try await regenerate(code) }
        #expect(error?.code == .invalidArgument)
      }
      // The current step and the app 30 s ahead: each accepted once.
      _ = try await regenerate(app.code(at: now))
      _ = try await regenerate(app.code(at: now + 30))
      let replay = await #expect(throws: RPCError.self) { try await regenerate(app.code(at: now)) }
      #expect(replay?.code == .invalidArgument)
      let failures = try await server.auditActions(userID: user.id).filter { $0 == "mfa.code.failed" }
      #expect(failures.count == 4)
    }
  }

  @Test func recoveryCodesAreSingleUseAndRegeneratingReplacesThemAll() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let user = try await TestUser.create(client)
      let (app, codes) = try await user.enrollMFA(client, at: clock.now)
      // Case, spaces and dashes do not matter.
      let fresh = try await client.rpc.unary(
        MFA.regenerateRecoveryCodes, MFA.CodeRequest(code: " " + codes[0].uppercased().replacingOccurrences(of: "-", with: " ")),
        options: user.options)
      #expect(fresh.recoveryCodes.count == 10 && Set(fresh.recoveryCodes).isDisjoint(with: codes))
      // Every old code is gone, used or not.
      for code in [codes[0], codes[1]] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(MFA.regenerateRecoveryCodes, MFA.CodeRequest(code: code), options: user.options)
        }
        #expect(error?.code == .invalidArgument)
      }
      clock.advance(by: 30)
      _ = try await client.rpc.unary(
        MFA.regenerateRecoveryCodes, MFA.CodeRequest(code: app.code(at: clock.now)), options: user.options)
      let status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options)
      #expect(status.recoveryCodesRemaining == 10)
    }
  }

  @Test func disablingWithARecoveryCodeTurnsMFAOffAndForgetsTheSecret() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      let (_, codes) = try await user.enrollMFA(client, at: clock.now)
      _ = try await client.rpc.unary(MFA.disable, MFA.CodeRequest(code: codes[3]), options: user.options)
      let status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: user.options)
      #expect(!status.enabled && status.recoveryCodesRemaining == 0)
      let rows = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT (SELECT count(*) FROM mfa_factors) + (SELECT count(*) FROM mfa_recovery_codes)")
      }
      #expect(rows == 0)
      // Sign-in gives a session directly again.
      let signIn = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      #expect(signIn.token != nil && signIn.challengeId == nil)
      #expect(try await server.outbox(recipient: user.email).map(\.template) == ["mfa.enabled", "mfa.disabled"])
      let off = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.disable, MFA.CodeRequest(code: codes[4]), options: user.options)
      }
      #expect(off?.code == .failedPrecondition)
      #expect(off?.details.preconditionViolations?.first?.type == "MFA_NOT_ENABLED")
    }
  }

  @Test func enrollmentStatesAreChecked() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let user = try await TestUser.create(client)
      let early = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.confirmEnrollment, MFA.CodeRequest(code: "123456"), options: user.options)
      }
      #expect(early?.details.preconditionViolations?.first?.type == "MFA_ENROLLMENT_NOT_STARTED")
      // Starting again replaces the pending secret: the first one's codes no longer work.
      let first = try TestAuthenticatorApp(
        base32: try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: user.options).secret)
      let second = try TestAuthenticatorApp(
        base32: try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: user.options).secret)
      #expect(first.secret != second.secret)
      if first.code(at: clock.now) != second.code(at: clock.now) {
        await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            MFA.confirmEnrollment, MFA.CodeRequest(code: first.code(at: clock.now)), options: user.options)
        }
      }
      _ = try await client.rpc.unary(
        MFA.confirmEnrollment, MFA.CodeRequest(code: second.code(at: clock.now)), options: user.options)
      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: user.options)
      }
      #expect(again?.code == .failedPrecondition)
      #expect(again?.details.preconditionViolations?.first?.type == "MFA_ALREADY_ENABLED")
    }
  }

  @Test func badCodesAreInvalidAndAPITokensAndStrangersAreRefused() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      for code in ["", String(repeating: "1", count: 33), "12\u{0}456"] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(MFA.confirmEnrollment, MFA.CodeRequest(code: code), options: user.options)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["code"])
      }
      let token = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "ci"), options: user.options)
      let asToken = CallOptions(metadata: ["authorization": "Bearer \(token.token)"])
      let denied = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: asToken)
      }
      #expect(denied?.code == .permissionDenied)
      let anonymous = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.getMFAStatus, Empty())
      }
      #expect(anonymous?.code == .unauthenticated)
    }
  }

  /// A 6-digit code that is not the app's at `time` nor a step either side.
  static func otherCode(than app: TestAuthenticatorApp, at time: Date) -> String {
    let taken = Set([-30.0, 0, 30].map { app.code(at: time + $0) })
    return (0..<4).map { String(repeating: String($0), count: 6) }.first { !taken.contains($0) }!
  }
}
