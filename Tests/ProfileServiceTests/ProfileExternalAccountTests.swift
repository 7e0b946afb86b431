import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

extension TestUser {
  /// Signs in (creating the account) through an external identity, as the trusted sign-in front
  /// end would; the test process is a trusted caller by default. The account has no password.
  static func createExternal(
    _ client: ProfileClient, provider: Accounts.IdentityProvider = .google, email: String? = nil
  ) async throws -> TestUser {
    let email = email ?? "ext-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    let response = try await client.rpc.unary(
      Accounts.signInWithExternalIdentity,
      Accounts.ExternalIdentityRequest(
        provider: provider, subject: "subject-\(UUID().uuidString)", email: email, firstName: "Grace", lastName: "Hopper"))
    guard let token = response.token else { throw RPCError(.internal, "external sign-in returned no token") }
    return TestUser(id: response.userId, email: email, password: "", token: token)
  }
}

@Suite struct ProfileExternalAccountTests {
  @Test(arguments: [
    (Accounts.IdentityProvider.microsoft365, Profile.AuthenticationMethod.microsoft365),
    (.azure, .azure),
    (.google, .google),
  ])
  func theProfileShowsTheProvider(provider: Accounts.IdentityProvider, method: Profile.AuthenticationMethod) async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.createExternal(client, provider: provider)
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.authenticationMethod == method)
      #expect(profile.email == user.email)
      #expect(profile.role == "owner")
      #expect(profile.version == 1)
    }
  }

  @Test func changePasswordIsAFailedPrecondition() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.createExternal(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.changePassword,
          Profile.ChangePasswordRequest(currentPassword: "", newPassword: "renewed-7", repeatPassword: "renewed-7"),
          options: user.options)
      }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.first?.type == "EXTERNAL_ACCOUNT")
    }
  }

  @Test func changeEmailIsAFailedPrecondition() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.createExternal(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.changeEmail, Profile.ChangeEmailRequest(newEmail: "other@example.com", currentPassword: ""),
          options: user.options)
      }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.first?.type == "EXTERNAL_ACCOUNT")
      #expect(try await server.outbox().isEmpty)
    }
  }

  @Test func setPhoneReliesOnTheSessionAndWantsNoPassword() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.createExternal(client)
      let withPassword = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.setPhone, Profile.SetPhoneRequest(phone: "+14155550123", currentPassword: "anything-1"),
          options: user.options)
      }
      #expect(withPassword?.code == .invalidArgument)
      #expect(withPassword?.details.fieldViolations?.map(\.field) == ["currentPassword"])

      _ = try await client.rpc.unary(
        Profile.setPhone, Profile.SetPhoneRequest(phone: "+14155550123", currentPassword: ""), options: user.options)
      let code = try #require(try await server.outbox(recipient: "+14155550123").last?.parameters["code"])
      let profile = try await client.rpc.unary(Profile.verifyPhone, Profile.CodeRequest(code: code), options: user.options)
      #expect(profile.phone == "+14155550123" && profile.phoneVerified)
    }
  }
}
