public import Foundation

extension Database {
  /// Creates an organization with `ownerID` as its owner.
  public func insertOrganization(id: String, name: String, personal: Bool, ownerID: String, now: Date) throws {
    try execute(
      sql: "INSERT INTO organizations (id, name, personal, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
      id, name, personal, ownerID, now)
    try execute(
      sql: "INSERT INTO memberships (organization_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)",
      id, ownerID, now)
  }

  /// The user's role in the organization, nil when not a member.
  public func role(userID: String, organizationID: String) throws -> String? {
    try value(
      String.self, sql: "SELECT role FROM memberships WHERE organization_id = ? AND user_id = ?",
      organizationID, userID)
  }

  /// The user's personal organization.
  public func personalOrganizationID(userID: String) throws -> String? {
    try value(
      String.self,
      sql: "SELECT id FROM organizations WHERE personal = 1 AND created_by = ? ORDER BY created_at LIMIT 1",
      userID)
  }

  /// Organizations the user alone owns while others are members: deleting the user would leave
  /// them without an owner.
  public func organizationsSolelyOwnedWithOtherMembers(userID: String) throws -> [String] {
    try rows(
      sql: """
        SELECT m.organization_id FROM memberships m
        WHERE m.user_id = ? AND m.role = 'owner'
          AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.organization_id = m.organization_id
                          AND o.role = 'owner' AND o.user_id <> m.user_id)
          AND EXISTS (SELECT 1 FROM memberships x WHERE x.organization_id = m.organization_id
                      AND x.user_id <> m.user_id)
        """, userID
    ).map { try $0.get(0) }
  }

  /// Deletes the organizations whose only member is `userID` (their personal one, say).
  public func deleteOrganizationsOnlyMemberOf(userID: String) throws {
    try execute(
      sql: """
        DELETE FROM organizations WHERE id IN (
          SELECT organization_id FROM memberships WHERE user_id = ?)
        AND NOT EXISTS (SELECT 1 FROM memberships x WHERE x.organization_id = organizations.id AND x.user_id <> ?)
        """, userID, userID)
  }
}
