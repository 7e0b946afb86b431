import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct AccountsRecoveryTests {
  @Test func passwordResetSendsACodeToTheVerifiedPhoneAndEndsEverySession() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+34600111222", userID: user.id)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      let message = try #require(try await server.outbox(recipient: "+34600111222").last)
      #expect(message.template == "password.reset")
      #expect(message.channel == 2)
      let code = try #require(message.parameters["code"])
      #expect(code.count == 6 && code.allSatisfy(\.isNumber))

      _ = try await client.rpc.unary(
        Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: code, newPassword: "renewed-7"))
      let old = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      }
      #expect(old?.code == .unauthenticated)
      _ = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: "renewed-7"))
      // The code works once.
      let reused = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: code, newPassword: "again-88"))
      }
      #expect(reused?.code == .invalidArgument)
      #expect(try await server.auditActions(userID: user.id).contains("password.reset"))
    }
  }

  @Test func resetAnswersTheSameForUnknownAccountsAndSendsNothing() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)  // no verified phone
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: "nobody@example.com"))
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test func wrongCodesCountWithFailedSignInsAndLockTheAccount() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+14155550100", userID: user.id)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      let code = try #require(try await server.outbox().last?.parameters["code"])
      let wrong = code == "000000" ? "111111" : "000000"
      var codes: [StatusCode] = []
      for _ in 0..<5 {
        do {
          _ = try await client.rpc.unary(
            Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: wrong, newPassword: "renewed-7"))
        } catch let error as RPCError {
          codes.append(error.code)
        }
      }
      #expect(codes == Array(repeating: .invalidArgument, count: 5))
      // Five wrong codes lock the account like five wrong passwords: the right code and the
      // right password are both refused until the window passes.
      let late = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: code, newPassword: "renewed-7"))
      }
      #expect(late?.code == .resourceExhausted)
      let signIn = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
      }
      #expect(signIn?.code == .resourceExhausted)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "password.reset.failed" }.count == 5)
    }
  }

  @Test func newCodesDoNotBuyMoreGuesses() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+14155550100", userID: user.id)
      var outcomes: [StatusCode] = []
      for _ in 0..<7 {
        _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
        let code = try #require(try await server.outbox().last?.parameters["code"])
        do {
          _ = try await client.rpc.unary(
            Accounts.resetPassword,
            Accounts.ResetPasswordRequest(email: user.email, code: code == "000000" ? "111111" : "000000", newPassword: "renewed-7"))
        } catch let error as RPCError {
          outcomes.append(error.code)
        }
        clock.advance(by: 31)
      }
      #expect(outcomes == Array(repeating: .invalidArgument, count: 5) + [.resourceExhausted, .resourceExhausted])
      // While the account is locked no code goes out: it could not be used.
      #expect(try await server.outbox().count == 5)
    }
  }

  @Test func aCodeThatDoesNotWorkGetsOneAnswerWhetherOrNotTheAccountExists() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+14155550100", userID: user.id)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: "nobody@example.com"))
      let code = try #require(try await server.outbox().last?.parameters["code"])
      let wrong = code == "000000" ? "111111" : "000000"
      let known = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: wrong, newPassword: "renewed-7"))
      }
      let unknown = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.resetPassword, Accounts.ResetPasswordRequest(email: "nobody@example.com", code: wrong, newPassword: "renewed-7"))
      }
      #expect(known?.code == .invalidArgument)
      #expect(known?.code == unknown?.code)
      #expect(known?.message == unknown?.message)
      #expect(known?.details == unknown?.details)
    }
  }

  @Test func expiredCodesAreRefused() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+14155550100", userID: user.id)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      let code = try #require(try await server.outbox().last?.parameters["code"])
      clock.advance(by: 601)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: code, newPassword: "renewed-7"))
      }
      #expect(error?.code == .invalidArgument)
    }
  }

  @Test func aNewCodeReplacesTheOldOneButNotWithinTheResendInterval() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+14155550100", userID: user.id)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      // Within 30 s the answer is the same, but nothing is sent.
      clock.advance(by: 29)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      #expect(try await server.outbox().count == 1)
      clock.advance(by: 2)
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      let messages = try await server.outbox()
      #expect(messages.count == 2)
      let first = try #require(messages.first?.parameters["code"])
      let second = try #require(messages.last?.parameters["code"])
      try #require(first != second)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: first, newPassword: "renewed-7"))
      }
      #expect(error?.code == .invalidArgument)
      _ = try await client.rpc.unary(
        Accounts.resetPassword, Accounts.ResetPasswordRequest(email: user.email, code: second, newPassword: "renewed-7"))
    }
  }

  @Test func deleteAccountRemovesEverythingButTheAuditTrail() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let wrong = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: "nope-1"), options: user.options)
      }
      #expect(wrong?.code == .permissionDenied)
      _ = try await client.rpc.unary(
        Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: user.password), options: user.options)
      let counts = try await server.services.environment.database.read { db in
        try ["users", "sessions", "preferences", "notification_settings", "archival_settings", "memberships", "organizations"]
          .map { table in try db.value(Int.self, sql: "SELECT count(*) FROM \(table)") ?? -1 }
      }
      #expect(counts == [0, 0, 0, 0, 0, 0, 0])
      #expect(try await server.auditActions(userID: user.id).last == "account.delete")
      let gone = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      }
      #expect(gone?.code == .unauthenticated)
      // The email is free again.
      _ = try await TestUser.create(client, email: user.email)
    }
  }

  @Test func deleteAccountIsRefusedForTheSoleOwnerOfAnOrganizationWithMembers() async throws {
    try await ProfileTestServer.with { server, client throws in
      let owner = try await TestUser.create(client)
      let member = try await TestUser.create(client)
      // Organizations arrive with their own service; here the membership is written directly.
      try await server.services.environment.database.write { db in
        let org = try #require(try db.personalOrganizationID(userID: owner.id))
        try db.execute(
          sql: "INSERT INTO memberships (organization_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)",
          org, member.id, Date())
      }
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: owner.password), options: owner.options)
      }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.first?.type == "SOLE_OWNER")
      // The member can leave by deleting their own account, which keeps the organization.
      _ = try await client.rpc.unary(
        Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: member.password), options: member.options)
      _ = try await client.rpc.unary(
        Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: owner.password), options: owner.options)
    }
  }
}
