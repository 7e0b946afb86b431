import ProfileAPI
import ProfileStore
import RPC

extension OrganizationsService {
  /// The caller's organizations with their role in each, which one is current, and how many
  /// of the limit they have created.
  func listMyOrganizations(_ context: ServerContext) async throws -> Organizations.ListMyOrganizationsResponse {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    let (organizations, created) = try await environment.database.read { db in
      (try db.organizations(userID: userID), try db.createdOrganizationCount(userID: userID))
    }
    return Organizations.ListMyOrganizationsResponse(
      organizations: try organizations.map {
        Self.message($0.organization, role: try Self.role($0.role), current: $0.organization.id == caller.organizationID)
      },
      ownedCount: created, ownedLimit: Self.ownedLimit)
  }

  /// Makes the calling session act in another of the caller's organizations.
  ///
  /// - Throws: `NOT_FOUND` for an organization the caller does not belong to;
  ///   `FAILED_PRECONDITION` when the call is made with an API token, which has no session.
  func switchOrganization(
    _ request: Organizations.SwitchOrganizationRequest, _ context: ServerContext
  ) async throws -> Organizations.Organization {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.validateID("id", request.id, prefix: "org", into: &validator)
    try validator.check()
    guard caller.kind == .session else {
      throw RPCError(
        .failedPrecondition, "only a session can switch organization",
        details: ErrorDetails(preconditionViolations: [
          .init(type: "NOT_A_SESSION", subject: caller.credentialID, description: "an API token has no current organization to switch")
        ]))
    }
    let mutation = caller.mutation()
    let (organization, role) = try await environment.database.write { db in
      let found = try Self.membership(db, organizationID: request.id, userID: caller.userID)
      if request.id != caller.organizationID {
        try db.setSessionOrganization(sessionID: caller.credentialID, organizationID: request.id)
        try db.audit("organization.switch", subject: caller.userID, target: request.id, context: mutation)
      }
      return found
    }
    environment.sessions.evict(sessionID: caller.credentialID)
    return Self.message(organization, role: role, current: true)
  }

  /// Creates an organization the caller owns. It does not become current.
  ///
  /// - Throws: `FAILED_PRECONDITION` with a quota violation when the caller has created
  ///   ``ownedLimit`` organizations already.
  func createOrganization(
    _ request: Organizations.CreateOrganizationRequest, _ context: ServerContext
  ) async throws -> Organizations.Organization {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    validator.text("name", request.name, length: Self.nameLength)
    try validator.check()

    let id = try Identifiers.make("org")
    let mutation = caller.mutation()
    let organization = try await environment.database.write { db in
      let created = try db.createdOrganizationCount(userID: caller.userID)
      guard created < Self.ownedLimit else {
        throw RPCError(
          .failedPrecondition, "you already own \(created) of at most \(Self.ownedLimit) organizations",
          details: ErrorDetails(quotaViolations: [
            .init(
              subject: "organizations:\(caller.userID)",
              description: "at most \(Self.ownedLimit) organizations besides the personal one can be created per user")
          ]))
      }
      try db.insertOrganization(id: id, name: request.name, personal: false, ownerID: caller.userID, now: mutation.now)
      try db.audit("organization.create", subject: caller.userID, target: id, context: mutation)
      guard let organization = try db.organization(id: id) else { throw RPCError(.internal, "the organization vanished") }
      return organization
    }
    return Self.message(organization, role: .owner, current: false)
  }

  /// Changes the name and settings the request sets. Owners and admins only; the personal
  /// organization cannot be changed.
  func updateOrganization(
    _ request: Organizations.UpdateOrganizationRequest, _ context: ServerContext
  ) async throws -> Organizations.Organization {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    Self.validateID("id", request.id, prefix: "org", into: &validator)
    validator.optionalText("name", request.name, length: Self.nameLength)
    try validator.check()

    let mutation = caller.mutation()
    let (organization, role, enforcementChanged) = try await environment.database.write { db in
      let (current, role) = try Self.membership(db, organizationID: request.id, userID: caller.userID)
      try Self.require(role, in: [.owner, .admin], to: "change an organization")
      guard !current.personal else {
        throw RPCError(
          .failedPrecondition, "a personal organization cannot be changed",
          details: ErrorDetails(preconditionViolations: [
            .init(type: "PERSONAL_ORGANIZATION", subject: current.id, description: "the personal organization keeps its settings")
          ]))
      }
      var next = current
      if let name = request.name { next.name = name }
      if let enforceMFA = request.enforceMFA { next.enforceMFA = enforceMFA }
      if let apiTokensEnabled = request.apiTokensEnabled { next.apiTokensEnabled = apiTokensEnabled }
      if let creditBased = request.creditBased { next.creditBased = creditBased }
      if next != current {
        try db.updateOrganization(next)
        try db.audit("organization.update", subject: caller.userID, target: current.id, context: mutation)
      }
      return (next, role, next.enforceMFA != current.enforceMFA)
    }
    if enforcementChanged {
      // Whether members' sessions may only enroll MFA changed: no cached verdict may outlive it.
      environment.sessions.evictAll()
    }
    return Self.message(organization, role: role, current: organization.id == caller.organizationID)
  }
}
