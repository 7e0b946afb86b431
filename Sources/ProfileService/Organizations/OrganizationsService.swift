import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Organizations`: the caller's organizations, the current one of their session, and
/// members with their roles.
///
/// Every check runs inside the write that acts on it, so two concurrent calls cannot both pass
/// a rule (the creation limit, the last owner) that only one of them may. An organization the
/// caller does not belong to is `NOT_FOUND`, exactly like one that does not exist.
///
/// A change to a user's membership evicts their cached sessions, so the role that `GetProfile`
/// and `VerifyToken` report is never stale.
public struct OrganizationsService: RPCService {
  let environment: ServiceEnvironment

  /// How many non-personal organizations one user may create. The personal organization does
  /// not count, and neither do organizations the user was added to: the limit is about
  /// organizations the user created ("1/3"), whatever their role in them now.
  static let ownedLimit = 3
  static let nameLength = 1...100

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Organizations.listMyOrganizations) { _, context in try await listMyOrganizations(context) }
    router.unary(Organizations.switchOrganization) { request, context in try await switchOrganization(request, context) }
    router.unary(Organizations.createOrganization) { request, context in try await createOrganization(request, context) }
    router.unary(Organizations.updateOrganization) { request, context in try await updateOrganization(request, context) }
    router.unary(Organizations.listMembers) { request, context in try await listMembers(request, context) }
    router.unary(Organizations.addMember) { request, context in try await addMember(request, context) }
    router.unary(Organizations.removeMember) { request, context in try await removeMember(request, context) }
    router.unary(Organizations.setMemberRole) { request, context in try await setMemberRole(request, context) }
    router.unary(Organizations.leaveOrganization) { request, context in try await leaveOrganization(request, context) }
  }

  /// The organization and the user's role in it.
  ///
  /// - Throws: `NOT_FOUND` when it does not exist or the user is not a member.
  static func membership(
    _ db: Database, organizationID: String, userID: String
  ) throws -> (organization: OrganizationRecord, role: Organizations.Role) {
    guard let organization = try db.organization(id: organizationID),
      let stored = try db.role(userID: userID, organizationID: organizationID)
    else { throw notFound(organizationID) }
    return (organization, try role(stored))
  }

  static func role(_ stored: String) throws -> Organizations.Role {
    guard let role = Organizations.Role(name: stored) else {
      throw RPCError(.internal, "a membership has an unknown role")
    }
    return role
  }

  /// - Throws: `PERMISSION_DENIED` unless `role` is one of `allowed`.
  static func require(_ role: Organizations.Role, in allowed: Set<Organizations.Role>, to action: String) throws {
    guard allowed.contains(role) else {
      let names = Organizations.Role.allCases.filter(allowed.contains).map(\.name).joined(separator: " or ")
      throw RPCError(.permissionDenied, "only an \(names) may \(action)")
    }
  }

  static func notFound(_ organizationID: String) -> RPCError {
    RPCError(.notFound, "no organization \(organizationID) that you belong to")
  }

  static func lastOwner(_ organizationID: String, _ description: String) -> RPCError {
    RPCError(
      .failedPrecondition, "an organization always keeps an owner: \(description)",
      details: ErrorDetails(preconditionViolations: [
        .init(type: "LAST_OWNER", subject: organizationID, description: description)
      ]))
  }

  /// Checks an id field: `prefix_` and letters and digits, at most 64 characters.
  static func validateID(_ field: String, _ value: String, prefix: String, into validator: inout FieldValidator) {
    let body = value.utf8.dropFirst(prefix.utf8.count + 1)
    guard value.hasPrefix(prefix + "_"), value.utf8.count <= 64, !body.isEmpty,
      body.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) })
    else {
      validator.fail(field, "must be an id such as \(prefix)_...")
      return
    }
  }

  static func message(
    _ organization: OrganizationRecord, role: Organizations.Role, current: Bool
  ) -> Organizations.Organization {
    Organizations.Organization(
      id: organization.id, name: organization.name, personal: organization.personal, role: role, current: current,
      enforceMFA: organization.enforceMFA, apiTokensEnabled: organization.apiTokensEnabled,
      creditBased: organization.creditBased, createdAt: organization.createdAt)
  }

  static func message(_ member: MemberRecord) throws -> Organizations.Member {
    Organizations.Member(
      userId: member.userID, email: member.email, displayName: member.displayName, role: try role(member.role),
      joinedAt: member.joinedAt)
  }
}
