import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import RPC
import Testing

@Suite struct MFAEnforcementTests {
  /// An owner with MFA on, an organization that enforces it, and a member who has not enrolled.
  /// An owner who enrolled, a member who did not, and their team, which enforces MFA once the
  /// member is in it. The member's API token (created while they still could) comes along.
  static func enforcingTeam(
    _ client: ProfileClient, clock: TestClock
  ) async throws -> (owner: TestUser, member: TestUser, team: Organizations.Organization, memberToken: CallOptions) {
    let owner = try await TestUser.create(client)
    let member = try await TestUser.create(client)
    let token = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "ci"), options: member.options)
    _ = try await owner.enrollMFA(client, at: clock.now)
    let team = try await client.rpc.unary(
      Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Secure Team"), options: owner.options)
    _ = try await client.rpc.unary(
      Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: member.email, role: .member),
      options: owner.options)
    // The member's session is cached now, so the test also shows the change is not missed.
    _ = try await client.rpc.unary(Profile.getProfile, Empty(), options: member.options)
    _ = try await client.rpc.unary(
      Organizations.updateOrganization, Organizations.UpdateOrganizationRequest(id: team.id, enforceMFA: true),
      options: owner.options)
    return (owner, member, team, CallOptions(metadata: ["authorization": "Bearer \(token.token)"]))
  }

  @Test func aMemberWhoHasNotEnrolledCanOnlyEnroll() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let (owner, member, _, _) = try await Self.enforcingTeam(client, clock: clock)
      // The owner enrolled, so nothing changes for them.
      _ = try await client.rpc.unary(Profile.getProfile, Empty(), options: owner.options)

      let refused = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: member.options)
      }
      #expect(refused?.code == .failedPrecondition)
      #expect(refused?.details.preconditionViolations?.first?.type == "MFA_ENROLLMENT_REQUIRED")
      #expect(refused?.message.contains("multi-factor") == true)
      // Other services asking about the member's token hear the same.
      let verify = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: member.token))
      }
      #expect(verify?.code == .failedPrecondition)
      for call in [
        { _ = try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: member.options) },
        { _ = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "x"), options: member.options) },
        { _ = try await client.rpc.unary(Accounts.listSessions, Empty(), options: member.options) },
      ] as [@Sendable () async throws -> Void] {
        let error = await #expect(throws: RPCError.self) { try await call() }
        #expect(error?.code == .failedPrecondition)
      }

      let status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: member.options)
      #expect(status.enforcedByOrganization && !status.enabled && status.enforcingOrganizations == ["Secure Team"])
      _ = try await member.enrollMFA(client, at: clock.now)
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: member.options)
      #expect(profile.id == member.id)
    }
  }

  @Test func mfaCannotBeTurnedOffWhileEnforcedAndCanAfterLeaving() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let (_, member, team, _) = try await Self.enforcingTeam(client, clock: clock)
      let (_, codes) = try await member.enrollMFA(client, at: clock.now)
      let locked = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.disable, MFA.CodeRequest(code: codes[0]), options: member.options)
      }
      #expect(locked?.code == .failedPrecondition)
      #expect(locked?.details.preconditionViolations?.first?.type == "MFA_ENFORCED")
      #expect(locked?.message.contains("Secure Team") == true)
      // The refusal did not use the recovery code up.
      #expect(try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: member.options).recoveryCodesRemaining == 10)

      _ = try await client.rpc.unary(
        Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: team.id), options: member.options)
      _ = try await client.rpc.unary(MFA.disable, MFA.CodeRequest(code: codes[0]), options: member.options)
      let status = try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: member.options)
      #expect(!status.enabled && !status.enforcedByOrganization)
    }
  }

  @Test func aRestrictedSessionMaySignOutAndItsAPITokensAreRefused() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let (_, member, _, asToken) = try await Self.enforcingTeam(client, clock: clock)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: asToken)
      }
      #expect(error?.code == .failedPrecondition)
      _ = try await client.rpc.unary(Accounts.signOut, Empty(), options: member.options)
      let gone = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(MFA.getMFAStatus, Empty(), options: member.options)
      }
      #expect(gone?.code == .unauthenticated)
    }
  }

  @Test func aMemberWhoMustEnrollMayStillLeaveWithASession() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      // Added without being asked, the member is held to the team's rule...
      let (_, member, team, asToken) = try await Self.enforcingTeam(client, clock: clock)
      let held = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: member.options)
      }
      #expect(held?.details.preconditionViolations?.first?.type == "MFA_ENROLLMENT_REQUIRED")
      // ...but not its API token, which stays refused, and may leave with a session.
      let byToken = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: team.id), options: asToken)
      }
      #expect(byToken?.details.preconditionViolations?.first?.type == "MFA_ENROLLMENT_REQUIRED")
      _ = try await client.rpc.unary(
        Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: team.id), options: member.options)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: member.options).id == member.id)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: asToken).id == member.id)
    }
  }

  @Test func enforcingWithoutEnrollingLocksTheAdminOutToo() async throws {
    try await ProfileTestServer.with { _, client throws in
      let owner = try await TestUser.create(client)
      let team = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "T"), options: owner.options)
      let updated = try await client.rpc.unary(
        Organizations.updateOrganization, Organizations.UpdateOrganizationRequest(id: team.id, enforceMFA: true),
        options: owner.options)
      #expect(updated.enforceMFA)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: owner.options)
      }
      #expect(error?.details.preconditionViolations?.first?.type == "MFA_ENROLLMENT_REQUIRED")
    }
  }
}
