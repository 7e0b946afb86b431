import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct OrganizationTests {
  @Test func signUpGivesACurrentPersonalOrganization() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client, firstName: "Ada")
      let list = try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: user.options)
      #expect(list.ownedCount == 0)
      #expect(list.ownedLimit == 3)
      let personal = try #require(list.organizations.first)
      #expect(list.organizations.count == 1)
      #expect(personal.id.hasPrefix("org_"))
      #expect(personal.name == "Ada's organization")
      #expect(personal.personal && personal.current)
      #expect(personal.role == .owner)
      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(verified.organizationId == personal.id)
    }
  }

  @Test func aFourthCreatedOrganizationIsRefusedButMembershipInMoreIsAllowed() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      var ids: [String] = []
      for name in ["One", "Two", "Three"] {
        let created = try await client.rpc.unary(
          Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: name), options: user.options)
        #expect(created.id.hasPrefix("org_"))
        #expect(created.name == name && created.role == .owner && !created.personal && !created.current)
        ids.append(created.id)
      }
      let refused = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Four"), options: user.options)
      }
      #expect(refused?.code == .failedPrecondition)
      #expect(refused?.details.quotaViolations?.count == 1)
      let stored = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM organizations WHERE created_by = ?", user.id)
      }
      #expect(stored == 4)  // the personal one and three

      // Another user's organization can still take this user in.
      let other = try await TestUser.create(client)
      let theirs = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Theirs"), options: other.options)
      _ = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: theirs.id, email: user.email, role: .member),
        options: other.options)
      let list = try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: user.options)
      #expect(list.organizations.count == 5)
      #expect(list.organizations.first?.personal == true)
      #expect(Array(list.organizations.map(\.id).dropFirst()) == ids + [theirs.id])
      #expect(list.organizations.last?.role == .member)
      #expect(list.ownedCount == 3 && list.ownedLimit == 3)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "organization.create" }.count == 3)
    }
  }

  @Test func organizationNamesAreValidated() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      for name in ["", "   ", "Bad\u{07}Name", String(repeating: "x", count: 101)] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: name), options: user.options)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["name"])
      }
      let count = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM organizations")
      }
      #expect(count == 1)
      let badID = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.updateOrganization, Organizations.UpdateOrganizationRequest(id: "usr_abc", name: ""),
          options: user.options)
      }
      #expect(Set(badID?.details.fieldViolations?.map(\.field) ?? []) == ["id", "name"])
    }
  }

  @Test func switchChangesTheRoleThatGetProfileAndVerifyTokenReport() async throws {
    try await ProfileTestServer.with { server, client throws in
      let owner = try await TestUser.create(client)
      let user = try await TestUser.create(client)
      let team = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Team"), options: owner.options)
      _ = try await client.rpc.unary(
        Organizations.addMember,
        Organizations.AddMemberRequest(organizationId: team.id, email: user.email.uppercased(), role: .billingAdmin),
        options: owner.options)
      let before = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(before.role == "owner")

      let switched = try await client.rpc.unary(
        Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: team.id), options: user.options)
      #expect(switched.id == team.id && switched.current && switched.role == .billingAdmin)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).role == "billingAdmin")
      var verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(verified.organizationId == team.id && verified.roles == ["billingAdmin"])
      let list = try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: user.options)
      #expect(list.organizations.filter(\.current).map(\.id) == [team.id])
      let stored = try await server.services.environment.database.read { db in
        try db.sessions(userID: user.id).map(\.organizationID)
      }
      #expect(stored == [team.id])

      // A role change shows at once, not after the session cache expires.
      _ = try await client.rpc.unary(
        Organizations.setMemberRole, Organizations.SetMemberRoleRequest(organizationId: team.id, userId: user.id, role: .admin),
        options: owner.options)
      verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: user.token))
      #expect(verified.roles == ["admin"])

      // Somebody else's organization does not exist for this user.
      let elsewhere = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Private"), options: owner.options)
      for id in [elsewhere.id, "org_doesnotexist"] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: id), options: user.options)
        }
        #expect(error?.code == .notFound)
      }
      let bad = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: "team"), options: user.options)
      }
      #expect(bad?.details.fieldViolations?.map(\.field) == ["id"])
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "organization.switch" }.count == 1)
    }
  }

  @Test func updateChangesOnlyTheGivenFieldsAndNeverThePersonalOrganization() async throws {
    try await ProfileTestServer.with { server, client throws in
      let owner = try await TestUser.create(client)
      let admin = try await TestUser.create(client)
      let team = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Team"), options: owner.options)
      #expect(!team.enforceMFA && team.apiTokensEnabled && !team.creditBased)
      _ = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: admin.email, role: .admin),
        options: owner.options)

      let updated = try await client.rpc.unary(
        Organizations.updateOrganization,
        Organizations.UpdateOrganizationRequest(id: team.id, creditBased: true), options: admin.options)
      #expect(updated.name == "Team" && !updated.enforceMFA && updated.apiTokensEnabled && updated.creditBased)
      #expect(updated.role == .admin)
      let renamed = try await client.rpc.unary(
        Organizations.updateOrganization,
        Organizations.UpdateOrganizationRequest(id: team.id, name: "Renamed", apiTokensEnabled: false), options: owner.options)
      #expect(renamed.name == "Renamed" && !renamed.enforceMFA && !renamed.apiTokensEnabled && renamed.creditBased)
      let stored = try await server.services.environment.database.read { db in try db.organization(id: team.id) }
      #expect(stored?.name == "Renamed" && stored?.apiTokensEnabled == false && stored?.creditBased == true)
      // (Enforcing MFA, which locks out members who have not enrolled, is MFAEnforcementTests' subject.)
      // Asking for what is already there writes nothing.
      _ = try await client.rpc.unary(
        Organizations.updateOrganization, Organizations.UpdateOrganizationRequest(id: team.id, name: "Renamed"),
        options: owner.options)
      #expect(try await server.auditActions(userID: owner.id).filter { $0 == "organization.update" }.count == 1)
      #expect(try await server.auditActions(userID: admin.id).filter { $0 == "organization.update" }.count == 1)

      let personal = try #require(
        try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: owner.options)
          .organizations.first(where: \.personal))
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.updateOrganization, Organizations.UpdateOrganizationRequest(id: personal.id, name: "Mine"),
          options: owner.options)
      }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.first?.type == "PERSONAL_ORGANIZATION")
    }
  }

  @Test func addingListingAndRemovingMembers() async throws {
    try await ProfileTestServer.with { server, client throws in
      let owner = try await TestUser.create(client)
      let admin = try await TestUser.create(client)
      let member = try await TestUser.create(client, firstName: "Grace", lastName: "Hopper")
      let team = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Team"), options: owner.options)
      let added = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: admin.email, role: .admin),
        options: owner.options)
      #expect(added.userId == admin.id && added.role == .admin)
      _ = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: member.email, role: .member),
        options: admin.options)

      // Admins add anyone but owners; accounts must exist and join once.
      let cases: [(Organizations.AddMemberRequest, StatusCode)] = [
        (.init(organizationId: team.id, email: member.email, role: .owner), .permissionDenied),
        (.init(organizationId: team.id, email: "nobody@example.com", role: .member), .notFound),
        (.init(organizationId: team.id, email: member.email, role: .member), .alreadyExists),
        (.init(organizationId: team.id, email: "not-an-email", role: .member), .invalidArgument),
      ]
      for (request, code) in cases {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Organizations.addMember, request, options: admin.options)
        }
        #expect(error?.code == code, "\(request.email)")
      }

      let members = try await client.rpc.unary(
        Organizations.listMembers, Organizations.ListMembersRequest(organizationId: team.id), options: member.options)
      #expect(members.members.map(\.userId) == [owner.id, admin.id, member.id])
      #expect(members.members.map(\.role) == [.owner, .admin, .member])
      #expect(members.members.last?.displayName == "Grace Hopper")
      #expect(members.members.last?.email == member.email)

      // A removed member's session that acted in the organization goes back to their personal one.
      _ = try await client.rpc.unary(
        Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: team.id), options: member.options)
      let denied = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.removeMember, Organizations.RemoveMemberRequest(organizationId: team.id, userId: owner.id),
          options: admin.options)
      }
      #expect(denied?.code == .permissionDenied)
      _ = try await client.rpc.unary(
        Organizations.removeMember, Organizations.RemoveMemberRequest(organizationId: team.id, userId: member.id),
        options: admin.options)
      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: member.token))
      #expect(verified.organizationId != team.id && verified.roles == ["owner"])
      let gone = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.listMembers, Organizations.ListMembersRequest(organizationId: team.id), options: member.options)
      }
      #expect(gone?.code == .notFound)
      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.removeMember, Organizations.RemoveMemberRequest(organizationId: team.id, userId: member.id),
          options: admin.options)
      }
      #expect(again?.code == .notFound)
      #expect(try await server.auditActions(userID: admin.id).filter { $0.hasPrefix("member.") } == ["member.add", "member.remove"])
      #expect(try await server.auditActions(userID: owner.id).filter { $0.hasPrefix("member.") } == ["member.add"])
    }
  }

  @Test func theLastOwnerCannotBeDemotedRemovedOrLeave() async throws {
    try await ProfileTestServer.with { server, client throws in
      let owner = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      let team = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Team"), options: owner.options)
      _ = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: other.email, role: .member),
        options: owner.options)
      let attempts: [(String, @Sendable () async throws -> Void)] = [
        ("demote", {
          _ = try await client.rpc.unary(
            Organizations.setMemberRole,
            Organizations.SetMemberRoleRequest(organizationId: team.id, userId: owner.id, role: .admin), options: owner.options)
        }),
        ("remove", {
          _ = try await client.rpc.unary(
            Organizations.removeMember, Organizations.RemoveMemberRequest(organizationId: team.id, userId: owner.id),
            options: owner.options)
        }),
        ("leave", {
          _ = try await client.rpc.unary(
            Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: team.id), options: owner.options)
        }),
      ]
      for (name, attempt) in attempts {
        let error = await #expect(throws: RPCError.self, "\(name)") { try await attempt() }
        #expect(error?.code == .failedPrecondition, "\(name)")
        #expect(error?.details.preconditionViolations?.first?.type == "LAST_OWNER", "\(name)")
      }
      #expect(try await server.services.environment.database.read { db in try db.ownerCount(organizationID: team.id) } == 1)

      // With a second owner, the first may go; their session returns to the personal organization.
      let promoted = try await client.rpc.unary(
        Organizations.setMemberRole, Organizations.SetMemberRoleRequest(organizationId: team.id, userId: other.id, role: .owner),
        options: owner.options)
      #expect(promoted.role == .owner)
      _ = try await client.rpc.unary(
        Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: team.id), options: owner.options)
      _ = try await client.rpc.unary(
        Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: team.id), options: owner.options)
      let list = try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: owner.options)
      #expect(list.organizations.map(\.personal) == [true])
      #expect(list.organizations.first?.current == true)
      #expect(list.ownedCount == 1)  // created organizations count even after leaving them
      let verified = try await client.rpc.unary(Accounts.verifyToken, Accounts.VerifyTokenRequest(token: owner.token))
      #expect(verified.organizationId == list.organizations.first?.id && verified.roles == ["owner"])

      let personal = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: verified.organizationId),
          options: owner.options)
      }
      #expect(personal?.code == .failedPrecondition)
      #expect(personal?.details.preconditionViolations?.first?.type == "PERSONAL_ORGANIZATION")
      #expect(
        try await server.auditActions(userID: owner.id).filter { $0.hasPrefix("member.") }
          == ["member.add", "member.role", "member.leave"])
    }
  }
}
