public import Foundation

extension Database {
  private static let organizationColumns =
    "o.id, o.name, o.personal, o.created_by, o.created_at, o.enforce_mfa, o.api_tokens_enabled, o.credit_based"

  public func organization(id: String) throws -> OrganizationRecord? {
    try row(sql: "SELECT \(Self.organizationColumns) FROM organizations o WHERE o.id = ?", id)
      .map(Self.organizationRecord)
  }

  /// The organizations the user belongs to with their role in each: the personal one first,
  /// then in the order they joined.
  public func organizations(userID: String) throws -> [(organization: OrganizationRecord, role: String)] {
    try rows(
      sql: """
        SELECT \(Self.organizationColumns), m.role FROM memberships m
        JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = ?
        ORDER BY (o.personal = 1 AND o.created_by = m.user_id) DESC, m.joined_at, o.id
        """, userID
    ).map { (try Self.organizationRecord($0), try $0.get(8)) }
  }

  /// How many non-personal organizations the user created: what the creation limit counts.
  public func createdOrganizationCount(userID: String) throws -> Int {
    try value(Int.self, sql: "SELECT count(*) FROM organizations WHERE created_by = ? AND personal = 0", userID) ?? 0
  }

  /// Writes the organization's name and settings.
  public func updateOrganization(_ organization: OrganizationRecord) throws {
    try execute(
      sql: "UPDATE organizations SET name = ?, enforce_mfa = ?, api_tokens_enabled = ?, credit_based = ? WHERE id = ?",
      organization.name, organization.enforceMFA, organization.apiTokensEnabled, organization.creditBased,
      organization.id)
  }

  /// The organization's members in the order they joined.
  public func members(organizationID: String) throws -> [MemberRecord] {
    try rows(
      sql: """
        SELECT u.id, u.email, u.display_name, m.role, m.joined_at FROM memberships m
        JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = ? ORDER BY m.joined_at, u.id
        """, organizationID
    ).map(Self.memberRecord)
  }

  public func member(organizationID: String, userID: String) throws -> MemberRecord? {
    try row(
      sql: """
        SELECT u.id, u.email, u.display_name, m.role, m.joined_at FROM memberships m
        JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = ? AND m.user_id = ?
        """, organizationID, userID
    ).map(Self.memberRecord)
  }

  /// Adds the user to the organization.
  ///
  /// - Throws: `DatabaseError.constraintUnique` (the primary key) when they are a member already.
  public func insertMembership(organizationID: String, userID: String, role: String, now: Date) throws {
    try execute(
      sql: "INSERT INTO memberships (organization_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)",
      organizationID, userID, role, now)
  }

  public func setRole(_ role: String, organizationID: String, userID: String) throws {
    try execute(
      sql: "UPDATE memberships SET role = ? WHERE organization_id = ? AND user_id = ?", role, organizationID, userID)
  }

  public func deleteMembership(organizationID: String, userID: String) throws {
    try execute(sql: "DELETE FROM memberships WHERE organization_id = ? AND user_id = ?", organizationID, userID)
  }

  public func ownerCount(organizationID: String) throws -> Int {
    try value(
      Int.self, sql: "SELECT count(*) FROM memberships WHERE organization_id = ? AND role = 'owner'", organizationID)
      ?? 0
  }

  /// Makes one session act in `organizationID`.
  public func setSessionOrganization(sessionID: String, organizationID: String) throws {
    try execute(sql: "UPDATE sessions SET organization_id = ? WHERE id = ?", organizationID, sessionID)
  }

  /// Moves the user's sessions that act in `from` to `to`; returns how many moved.
  @discardableResult
  public func moveSessions(userID: String, from: String, to: String) throws -> Int {
    try execute(sql: "UPDATE sessions SET organization_id = ? WHERE user_id = ? AND organization_id = ?", to, userID, from)
    return changes
  }

  private static func organizationRecord(_ row: Row) throws -> OrganizationRecord {
    OrganizationRecord(
      id: try row.get(0), name: try row.get(1), personal: try row.get(2), createdBy: try row.get(3),
      createdAt: try row.get(4), enforceMFA: try row.get(5), apiTokensEnabled: try row.get(6),
      creditBased: try row.get(7))
  }

  private static func memberRecord(_ row: Row) throws -> MemberRecord {
    MemberRecord(
      userID: try row.get(0), email: try row.get(1), displayName: try row.get(2), role: try row.get(3),
      joinedAt: try row.get(4))
  }
}
