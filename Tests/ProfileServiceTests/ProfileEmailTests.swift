import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfileEmailTests {
  static func requestChange(_ client: ProfileClient, _ user: TestUser, to newEmail: String, password: String? = nil) async throws {
    _ = try await client.rpc.unary(
      Profile.changeEmail, Profile.ChangeEmailRequest(newEmail: newEmail, currentPassword: password ?? user.password),
      options: user.options)
  }

  @Test func aConfirmedChangeMovesTheAccountToTheNewAddress() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client, email: "ada@example.com")
      // Cache the session, which holds the email.
      let cached = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(cached.email == "ada@example.com")

      try await Self.requestChange(client, user, to: "Countess@Example.org")
      let sent = try #require(try await server.outbox(recipient: "Countess@Example.org").last)
      #expect(sent.template == "email.verification")
      #expect(sent.channel == 1)
      let code = try #require(sent.parameters["code"])
      #expect(code.count == 6 && code.allSatisfy(\.isNumber))
      // Nothing changes before the code comes back.
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).email == "ada@example.com")

      let profile = try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: code), options: user.options)
      #expect(profile.email == "Countess@Example.org")
      #expect(profile.version == 2)

      let notice = try #require(try await server.outbox(recipient: "ada@example.com").last)
      #expect(notice.template == "email.changed")
      #expect(notice.parameters == ["newEmail": "Countess@Example.org"])

      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(verified.email == "Countess@Example.org")
      let signIn = try await client.rpc.unary(
        Accounts.signIn, Accounts.SignInRequest(email: "countess@example.org", password: user.password))
      #expect(signIn.userId == user.id)
      let old = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: "ada@example.com", password: user.password))
      }
      #expect(old?.code == .unauthenticated)
      // The old address is free again.
      _ = try await TestUser.create(client, email: "ada@example.com")

      let actions = try await server.auditActions(userID: user.id)
      #expect(actions.filter { $0.hasPrefix("email.") } == ["email.change.request", "email.change"])
      // The code works once.
      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: code), options: user.options)
      }
      #expect(again?.code == .failedPrecondition)
    }
  }

  @Test func aRegisteredAddressIsAlreadyExists() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      _ = try await TestUser.create(client, email: "taken@example.com")
      let error = await #expect(throws: RPCError.self) { try await Self.requestChange(client, user, to: "TAKEN@example.com") }
      #expect(error?.code == .alreadyExists)
      #expect(error?.details.fieldViolations?.map(\.field) == ["newEmail"])
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test func anAddressRegisteredBeforeTheConfirmationIsAlreadyExists() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.requestChange(client, user, to: "late@example.com")
      let code = try #require(try await server.outbox(recipient: "late@example.com").last?.parameters["code"])
      _ = try await TestUser.create(client, email: "Late@example.com")
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: code), options: user.options)
      }
      #expect(error?.code == .alreadyExists)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).email == user.email)
      #expect(try await server.outbox(recipient: user.email).isEmpty)
    }
  }

  @Test func theRequestIsValidated() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client, email: "ada@example.com")
      for (newEmail, password, fields) in [
        ("not-an-email", user.password, ["newEmail"]),
        ("ada@example.com\u{0}", user.password, ["newEmail"]),
        ("ADA@example.com", user.password, ["newEmail"]),  // the current address
        ("new@example.com", "", ["currentPassword"]),
        ("bad", "", ["newEmail", "currentPassword"]),
      ] {
        let error = await #expect(throws: RPCError.self) {
          try await Self.requestChange(client, user, to: newEmail, password: password)
        }
        #expect(error?.code == .invalidArgument, "\(newEmail)")
        #expect(error?.details.fieldViolations?.map(\.field) == fields, "\(newEmail)")
      }
      let wrong = await #expect(throws: RPCError.self) {
        try await Self.requestChange(client, user, to: "new@example.com", password: "wrong-pass-1")
      }
      #expect(wrong?.code == .permissionDenied)
      #expect(wrong?.details.fieldViolations?.map(\.field) == ["currentPassword"])
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test func wrongMalformedAndMissingCodesAreRefused() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let none = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: "123456"), options: user.options)
      }
      #expect(none?.code == .failedPrecondition)
      #expect(none?.details.preconditionViolations?.first?.type == "NO_PENDING_CODE")
      for malformed in ["12345", "1234567", "12a456", "١٢٣٤٥٦", ""] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: malformed), options: user.options)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["code"])
      }
      try await Self.requestChange(client, user, to: "new@example.com")
      let code = try #require(try await server.outbox(recipient: "new@example.com").last?.parameters["code"])
      let wrong = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.confirmEmailChange, Profile.CodeRequest(code: ProfilePhoneTests.other(than: code)), options: user.options)
      }
      #expect(wrong?.code == .invalidArgument)
      #expect(wrong?.details.fieldViolations?.map(\.field) == ["code"])
      // One wrong try leaves the code usable.
      let profile = try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: code), options: user.options)
      #expect(profile.email == "new@example.com")
    }
  }

  @Test func anotherCodeWaitsForTheResendIntervalWhateverTheAddress() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.requestChange(client, user, to: "new@example.com")
      // Neither the same address nor another one gets a code within 30 s: alternating two
      // addresses must not send a message per call.
      for address in ["new@example.com", "fixed@example.com"] {
        let error = await #expect(throws: RPCError.self) { try await Self.requestChange(client, user, to: address) }
        #expect(error?.code == .resourceExhausted)
        let wait = try #require(error?.details.retryAfterMilliseconds)
        // The clock stands still; stored times are whole microseconds, so the wait may round
        // up by a millisecond.
        #expect(wait > 0 && wait <= 30_001)
      }
      // After the interval another address (a typo fixed) gets its code, which replaces the first.
      clock.advance(by: 31)
      try await Self.requestChange(client, user, to: "fixed@example.com")
      #expect(try await server.outbox().map(\.recipient) == ["new@example.com", "fixed@example.com"])
      let first = try #require(try await server.outbox(recipient: "new@example.com").last?.parameters["code"])
      let second = try #require(try await server.outbox(recipient: "fixed@example.com").last?.parameters["code"])
      if first != second {
        let replaced = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: first), options: user.options)
        }
        #expect(replaced?.code == .invalidArgument)
      }
      let profile = try await client.rpc.unary(Profile.confirmEmailChange, Profile.CodeRequest(code: second), options: user.options)
      #expect(profile.email == "fixed@example.com")
    }
  }
}
