import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

/// Every Organizations method called as each kind of caller, against a team organization with
/// one member of every role, each with the status it must answer.
@Suite struct OrganizationAuthorizationTests {
  enum Actor: String, CaseIterable, Sendable {
    case owner, admin, billingAdmin, member, nonMember, anonymous
  }

  enum Method: String, CaseIterable, Sendable {
    case listMyOrganizations, switchOrganization, createOrganization, updateOrganization, listMembers
    case addMember, removeMember, setMemberRole, leaveOrganization

    /// Whether a successful call writes an audit entry.
    var mutates: Bool { self != .listMyOrganizations && self != .listMembers }
  }

  /// The expected status; nil is OK. `anonymous` is always UNAUTHENTICATED.
  static func expected(_ method: Method, _ actor: Actor) -> StatusCode? {
    if actor == .anonymous { return .unauthenticated }
    switch method {
    case .listMyOrganizations, .createOrganization:
      return nil
    case .switchOrganization, .listMembers:
      return actor == .nonMember ? .notFound : nil
    case .updateOrganization, .addMember, .removeMember:
      switch actor {
      case .owner, .admin: return nil
      case .nonMember: return .notFound
      default: return .permissionDenied
      }
    case .setMemberRole:
      switch actor {
      case .owner: return nil
      case .nonMember: return .notFound
      default: return .permissionDenied
      }
    case .leaveOrganization:
      switch actor {
      case .owner: return .failedPrecondition  // the only owner
      case .nonMember: return .notFound
      default: return nil
      }
    }
  }

  @Test func everyMethodIsInTheMatrix() {
    #expect(Set(Method.allCases.map { $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst() })
      == Set(Organizations.descriptor.methods.map(\.method)))
  }

  @Test(arguments: Method.allCases, Actor.allCases)
  func authorization(method: Method, actor: Actor) async throws {
    try await ProfileTestServer.with { server, client throws in
      let owner = try await TestUser.create(client)
      let team = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Team"), options: owner.options)
      var users: [Actor: TestUser] = [.owner: owner]
      for (actor, role) in [(Actor.admin, Organizations.Role.admin), (.billingAdmin, .billingAdmin), (.member, .member)] {
        let user = try await TestUser.create(client)
        _ = try await client.rpc.unary(
          Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: user.email, role: role),
          options: owner.options)
        users[actor] = user
      }
      users[.nonMember] = try await TestUser.create(client)
      let target = try await TestUser.create(client)
      _ = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: team.id, email: target.email, role: .member),
        options: owner.options)
      let newcomer = try await TestUser.create(client)
      let options = users[actor]?.options ?? CallOptions()
      let auditBefore = try await Self.auditCount(server)

      let outcome: StatusCode?
      do {
        try await Self.call(method, client: client, options: options, team: team.id, target: target, newcomer: newcomer)
        outcome = nil
      } catch let error as RPCError {
        outcome = error.code
      }
      #expect(outcome == Self.expected(method, actor), "\(method) as \(actor)")
      let written = try await Self.auditCount(server) - auditBefore
      #expect(written == (outcome == nil && method.mutates ? 1 : 0), "audit entries of \(method) as \(actor)")
    }
  }

  static func call(
    _ method: Method, client: ProfileClient, options: CallOptions, team: String, target: TestUser, newcomer: TestUser
  ) async throws {
    switch method {
    case .listMyOrganizations:
      _ = try await client.rpc.unary(Organizations.listMyOrganizations, Empty(), options: options)
    case .switchOrganization:
      _ = try await client.rpc.unary(
        Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: team), options: options)
    case .createOrganization:
      _ = try await client.rpc.unary(
        Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Another"), options: options)
    case .updateOrganization:
      _ = try await client.rpc.unary(
        Organizations.updateOrganization, Organizations.UpdateOrganizationRequest(id: team, name: "Renamed"),
        options: options)
    case .listMembers:
      _ = try await client.rpc.unary(
        Organizations.listMembers, Organizations.ListMembersRequest(organizationId: team), options: options)
    case .addMember:
      _ = try await client.rpc.unary(
        Organizations.addMember, Organizations.AddMemberRequest(organizationId: team, email: newcomer.email, role: .member),
        options: options)
    case .removeMember:
      _ = try await client.rpc.unary(
        Organizations.removeMember, Organizations.RemoveMemberRequest(organizationId: team, userId: target.id),
        options: options)
    case .setMemberRole:
      _ = try await client.rpc.unary(
        Organizations.setMemberRole, Organizations.SetMemberRoleRequest(organizationId: team, userId: target.id, role: .admin),
        options: options)
    case .leaveOrganization:
      _ = try await client.rpc.unary(
        Organizations.leaveOrganization, Organizations.LeaveOrganizationRequest(id: team), options: options)
    }
  }

  static func auditCount(_ server: ProfileTestServer) async throws -> Int {
    try await server.services.environment.database.read { db in
      try db.value(Int.self, sql: "SELECT count(*) FROM audit_trail") ?? 0
    }
  }
}
