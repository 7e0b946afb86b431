import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfilePhoneTests {
  static let phone = "+14155550123"

  static func setPhone(_ client: ProfileClient, _ user: TestUser, _ phone: String = phone, password: String? = nil) async throws {
    _ = try await client.rpc.unary(
      Profile.setPhone, Profile.SetPhoneRequest(phone: phone, currentPassword: password ?? user.password), options: user.options)
  }

  static func verify(_ client: ProfileClient, _ user: TestUser, code: String) async throws -> Profile.UserProfile {
    try await client.rpc.unary(Profile.verifyPhone, Profile.CodeRequest(code: code), options: user.options)
  }

  /// A six-digit code that is not `code`.
  static func other(than code: String) -> String {
    code == "000000" ? "111111" : "000000"
  }

  @Test func aPhoneIsStoredUnverifiedUntilTheTextedCodeComesBack() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let message = try #require(try await server.outbox(recipient: Self.phone).last)
      #expect(message.channel == 2)
      #expect(message.template == "phone.verification")
      let code = try #require(message.parameters["code"])
      #expect(code.count == 6 && code.allSatisfy(\.isNumber))

      let pending = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(pending.phone == Self.phone && pending.phoneVerified == false)

      let verified = try await Self.verify(client, user, code: code)
      #expect(verified.phone == Self.phone && verified.phoneVerified)
      #expect(verified.version == 3)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options) == verified)
      #expect(try await server.auditActions(userID: user.id).suffix(2) == ["phone.set", "phone.verify"])
      // The code is used up.
      let again = await #expect(throws: RPCError.self) { try await Self.verify(client, user, code: code) }
      #expect(again?.code == .failedPrecondition)
    }
  }

  @Test func fiveWrongCodesEndTheCodeAndLockTheAccount() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let code = try #require(try await server.outbox(recipient: Self.phone).last?.parameters["code"])
      var outcomes: [StatusCode] = []
      for _ in 0..<5 {
        do {
          _ = try await Self.verify(client, user, code: Self.other(than: code))
        } catch let error as RPCError {
          outcomes.append(error.code)
        }
      }
      #expect(outcomes == [.invalidArgument, .invalidArgument, .invalidArgument, .invalidArgument, .failedPrecondition])
      // The five wrong codes count with failed sign-ins too: the account is locked for a while.
      let late = await #expect(throws: RPCError.self) { try await Self.verify(client, user, code: code) }
      #expect(late?.code == .resourceExhausted)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "code.wrong" }.count == 5)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).phoneVerified == false)
    }
  }

  @Test func anExpiredCodeIsRefused() async throws {
    // A zero lifetime: every code has expired by the time it is checked, with no waiting.
    try await ProfileTestServer.with(configure: { $0.codeLifetime = .zero }) { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let code = try #require(try await server.outbox(recipient: Self.phone).last?.parameters["code"])
      let error = await #expect(throws: RPCError.self) { try await Self.verify(client, user, code: code) }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.first?.type == "NO_PENDING_CODE")
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).phoneVerified == false)
    }
  }

  @Test func aResendWithinTheIntervalIsRefusedWithARetryAfter() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.resendPhoneCode, Empty(), options: user.options)
      }
      #expect(error?.code == .resourceExhausted)
      let wait = try #require(error?.details.retryAfterMilliseconds)
      #expect(wait > 25_000 && wait <= 30_000)
      #expect(error?.details.quotaViolations?.first?.subject == "verification-code")
      // Setting the same number again is a resend too, and so is another number: alternating
      // two numbers must not text a code per call.
      let same = await #expect(throws: RPCError.self) { try await Self.setPhone(client, user) }
      #expect(same?.code == .resourceExhausted)
      let other = await #expect(throws: RPCError.self) { try await Self.setPhone(client, user, "+14155550199") }
      #expect(other?.code == .resourceExhausted)
      #expect(try await server.outbox().count == 1)
    }
  }

  @Test func aResendAfterTheIntervalReplacesTheCode() async throws {
    try await ProfileTestServer.with(configure: { $0.resendInterval = .zero }) { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let first = try #require(try await server.outbox(recipient: Self.phone).last?.parameters["code"])
      var second = first
      // Codes are random: resend until one differs (a repeat has a chance of one in a million).
      while second == first {
        _ = try await client.rpc.unary(Profile.resendPhoneCode, Empty(), options: user.options)
        second = try #require(try await server.outbox(recipient: Self.phone).last?.parameters["code"])
      }
      let old = await #expect(throws: RPCError.self) { try await Self.verify(client, user, code: first) }
      #expect(old?.code == .invalidArgument)
      #expect(try await Self.verify(client, user, code: second).phoneVerified)
      #expect(try await server.auditActions(userID: user.id).contains("phone.code.resend"))
    }
  }

  @Test func resendAndVerifyNeedAnUnverifiedPhone() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      for call in [
        { _ = try await client.rpc.unary(Profile.resendPhoneCode, Empty(), options: user.options) },
        { _ = try await Self.verify(client, user, code: "123456") },
      ] as [@Sendable () async throws -> Void] {
        let error = await #expect(throws: RPCError.self) { try await call() }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.details.preconditionViolations?.first?.type == "NO_UNVERIFIED_PHONE")
      }
      try await server.setVerifiedPhone(Self.phone, userID: user.id)
      let verified = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.resendPhoneCode, Empty(), options: user.options)
      }
      #expect(verified?.details.preconditionViolations?.first?.type == "NO_UNVERIFIED_PHONE")
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test func aNewNumberNeedsVerificationAgain() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let code = try #require(try await server.outbox(recipient: Self.phone).last?.parameters["code"])
      _ = try await Self.verify(client, user, code: code)

      // The verified number again: nothing changes, nothing is sent.
      try await Self.setPhone(client, user)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).phoneVerified)
      #expect(try await server.outbox().count == 1)

      try await Self.setPhone(client, user, "+447700900123")
      let changed = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(changed.phone == "+447700900123" && changed.phoneVerified == false)
      let newCode = try #require(try await server.outbox(recipient: "+447700900123").last?.parameters["code"])
      #expect(try await Self.verify(client, user, code: newCode).phoneVerified)
    }
  }

  @Test func setPhoneChecksThePassword() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let wrong = await #expect(throws: RPCError.self) { try await Self.setPhone(client, user, password: "wrong-pass-1") }
      #expect(wrong?.code == .permissionDenied)
      #expect(wrong?.details.fieldViolations?.map(\.field) == ["currentPassword"])
      let missing = await #expect(throws: RPCError.self) { try await Self.setPhone(client, user, password: "") }
      #expect(missing?.code == .invalidArgument)
      #expect(missing?.details.fieldViolations?.map(\.field) == ["currentPassword"])
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).phone == nil)
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test(arguments: [
    "14155550123",  // no +
    "+04155550123",  // country code starting with 0
    "+1234567",  // 7 digits
    "+1234567890123456",  // 16 digits
    "+1 415 555 0123",  // spaces
    "+1-415-555-0123",
    "+1415555012a",
    "+١٤١٥٥٥٥٠١٢٣",  // non-ASCII digits
    "+14155550123\n",
    "",
    "+",
  ])
  func invalidNumbersAreRefused(phone: String) async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) { try await Self.setPhone(client, user, phone) }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == ["phone"])
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test(arguments: ["+12345678", "+123456789012345", "+447700900123"])
  func validNumbersAreAccepted(phone: String) async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user, phone)
      #expect(try await server.outbox(recipient: phone).count == 1)
    }
  }

  @Test func removePhoneClearsTheNumberAndThePendingCode() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.setPhone(client, user)
      let code = try #require(try await server.outbox(recipient: Self.phone).last?.parameters["code"])
      let removed = try await client.rpc.unary(Profile.removePhone, Empty(), options: user.options)
      #expect(removed.phone == nil && removed.phoneVerified == false)
      let codes = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM verification_codes WHERE user_id = ?", user.id)
      }
      #expect(codes == 0)
      let late = await #expect(throws: RPCError.self) { try await Self.verify(client, user, code: code) }
      #expect(late?.code == .failedPrecondition)

      // A verified phone goes too; removing again changes nothing.
      try await server.setVerifiedPhone(Self.phone, userID: user.id)
      #expect(try await client.rpc.unary(Profile.removePhone, Empty(), options: user.options).phone == nil)
      let again = try await client.rpc.unary(Profile.removePhone, Empty(), options: user.options)
      #expect(again.phone == nil)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "phone.remove" }.count == 2)
    }
  }
}
