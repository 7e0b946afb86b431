import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension OrganizationsService {
  /// The members of one of the caller's organizations.
  func listMembers(
    _ request: Organizations.ListMembersRequest, _ context: ServerContext
  ) async throws -> Organizations.ListMembersResponse {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.validateID("organizationId", request.organizationId, prefix: "org", into: &validator)
    try validator.check()
    let members = try await environment.database.read { db in
      _ = try Self.membership(db, organizationID: request.organizationId, userID: caller.userID)
      return try db.members(organizationID: request.organizationId)
    }
    return Organizations.ListMembersResponse(members: try members.map(Self.message))
  }

  /// Adds an existing account to the organization. Owners and admins; only an owner may add
  /// an owner.
  ///
  /// - Throws: `NOT_FOUND` when no account has the email; `ALREADY_EXISTS` when it is a
  ///   member already.
  func addMember(_ request: Organizations.AddMemberRequest, _ context: ServerContext) async throws -> Organizations.Member {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.validateID("organizationId", request.organizationId, prefix: "org", into: &validator)
    validator.email("email", request.email)
    try validator.check()

    let mutation = caller.mutation()
    let organizationID = request.organizationId
    let member = try await environment.database.write { db in
      let (_, role) = try Self.membership(db, organizationID: organizationID, userID: caller.userID)
      try Self.require(role, in: [.owner, .admin], to: "add members")
      if request.role == .owner { try Self.require(role, in: [.owner], to: "add an owner") }
      guard let user = try db.user(emailKey: request.email.lowercased()) else {
        throw RPCError(
          .notFound, "no account has this email",
          details: ErrorDetails(fieldViolations: [.init(field: "email", description: "is not registered")]))
      }
      guard try db.role(userID: user.id, organizationID: organizationID) == nil else {
        throw RPCError(.alreadyExists, "the account is a member already")
      }
      try db.insertMembership(organizationID: organizationID, userID: user.id, role: request.role.name, now: mutation.now)
      try db.audit("member.add", subject: caller.userID, target: "\(organizationID)/\(user.id)", context: mutation)
      guard let member = try db.member(organizationID: organizationID, userID: user.id) else {
        throw RPCError(.internal, "the membership vanished")
      }
      return member
    }
    environment.sessions.evict(userID: member.userID)
    return try Self.message(member)
  }

  /// Removes a member. Owners and admins; admins cannot remove owners, and the last owner
  /// stays. The member's sessions acting in the organization move to their personal one.
  func removeMember(_ request: Organizations.RemoveMemberRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.validateID("organizationId", request.organizationId, prefix: "org", into: &validator)
    Self.validateID("userId", request.userId, prefix: "usr", into: &validator)
    try validator.check()

    let mutation = caller.mutation()
    let organizationID = request.organizationId
    try await environment.database.write { db in
      let (_, role) = try Self.membership(db, organizationID: organizationID, userID: caller.userID)
      try Self.require(role, in: [.owner, .admin], to: "remove members")
      guard let stored = try db.role(userID: request.userId, organizationID: organizationID) else {
        throw RPCError(.notFound, "no member \(request.userId) in this organization")
      }
      let targetRole = try Self.role(stored)
      if targetRole == .owner {
        try Self.require(role, in: [.owner], to: "remove an owner")
        if try db.ownerCount(organizationID: organizationID) <= 1 {
          throw Self.lastOwner(organizationID, "the last owner cannot be removed")
        }
      }
      try Self.removeMembership(db, organizationID: organizationID, userID: request.userId)
      try db.audit("member.remove", subject: caller.userID, target: "\(organizationID)/\(request.userId)", context: mutation)
    }
    environment.sessions.evict(userID: request.userId)
    return Empty()
  }

  /// Changes a member's role. Owners only; the last owner cannot be demoted.
  func setMemberRole(
    _ request: Organizations.SetMemberRoleRequest, _ context: ServerContext
  ) async throws -> Organizations.Member {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.validateID("organizationId", request.organizationId, prefix: "org", into: &validator)
    Self.validateID("userId", request.userId, prefix: "usr", into: &validator)
    try validator.check()

    let mutation = caller.mutation()
    let organizationID = request.organizationId
    let member = try await environment.database.write { db in
      let (_, role) = try Self.membership(db, organizationID: organizationID, userID: caller.userID)
      try Self.require(role, in: [.owner], to: "change roles")
      guard let current = try db.member(organizationID: organizationID, userID: request.userId) else {
        throw RPCError(.notFound, "no member \(request.userId) in this organization")
      }
      guard current.role != request.role.name else { return current }
      if current.role == Organizations.Role.owner.name, try db.ownerCount(organizationID: organizationID) <= 1 {
        throw Self.lastOwner(organizationID, "the last owner cannot be demoted")
      }
      try db.setRole(request.role.name, organizationID: organizationID, userID: request.userId)
      try db.audit("member.role", subject: caller.userID, target: "\(organizationID)/\(request.userId)", context: mutation)
      var changed = current
      changed.role = request.role.name
      return changed
    }
    environment.sessions.evict(userID: request.userId)
    return try Self.message(member)
  }

  /// Leaves an organization. Not the caller's personal one, and not as its last owner; the
  /// caller's sessions acting in it move to their personal organization.
  func leaveOrganization(_ request: Organizations.LeaveOrganizationRequest, _ context: ServerContext) async throws -> Empty {
    // A member who must enroll MFA may still leave: an organization that enforces it cannot
    // hold someone who never asked to join it.
    let caller = try await environment.authenticator.caller(context, admission: .sessionsAndTokensOrEnrollingSessions)
    var validator = FieldValidator()
    Self.validateID("id", request.id, prefix: "org", into: &validator)
    try validator.check()

    let mutation = caller.mutation()
    try await environment.database.write { db in
      let (organization, role) = try Self.membership(db, organizationID: request.id, userID: caller.userID)
      if organization.personal && organization.createdBy == caller.userID {
        throw RPCError(
          .failedPrecondition, "you cannot leave your personal organization",
          details: ErrorDetails(preconditionViolations: [
            .init(type: "PERSONAL_ORGANIZATION", subject: organization.id, description: "every account keeps its personal organization")
          ]))
      }
      if role == .owner, try db.ownerCount(organizationID: organization.id) <= 1 {
        throw Self.lastOwner(organization.id, "the last owner cannot leave; make someone else an owner first")
      }
      try Self.removeMembership(db, organizationID: organization.id, userID: caller.userID)
      try db.audit("member.leave", subject: caller.userID, target: organization.id, context: mutation)
    }
    environment.sessions.evict(userID: caller.userID)
    return Empty()
  }

  /// Deletes the membership and moves the user's sessions acting in the organization to their
  /// personal one, so no session acts where its user is not a member.
  static func removeMembership(_ db: Database, organizationID: String, userID: String) throws {
    try db.deleteMembership(organizationID: organizationID, userID: userID)
    guard let personal = try db.personalOrganizationID(userID: userID) else {
      throw RPCError(.internal, "the account has no personal organization")
    }
    try db.moveSessions(userID: userID, from: organizationID, to: personal)
  }
}
