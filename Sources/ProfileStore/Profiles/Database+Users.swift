internal import Foundation

extension Database {
  private static let userColumns = """
    id, email, email_key, password_hash, authentication_method, external_subject, first_name,
    last_name, display_name, contact_person, company, phone, phone_verified, subscription_plan,
    plan_since, created_at, version
    """

  /// Inserts a new user.
  ///
  /// - Throws: `DatabaseError.constraintUnique` when the email (or external identity) exists.
  public func insertUser(_ user: UserRecord) throws {
    try execute(
      sql: "INSERT INTO users (\(Self.userColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      arguments: [
        user.id, user.email, user.emailKey, user.passwordHash, Int64(user.authenticationMethod),
        user.externalSubject, user.firstName, user.lastName, user.displayName, user.contactPerson,
        user.company, user.phone, user.phoneVerified, Int64(user.subscriptionPlan), user.planSince,
        user.createdAt, user.version,
      ])
  }

  public func user(id: String) throws -> UserRecord? {
    try row(sql: "SELECT \(Self.userColumns) FROM users WHERE id = ?", id).map(Self.userRecord)
  }

  public func user(emailKey: String) throws -> UserRecord? {
    try row(sql: "SELECT \(Self.userColumns) FROM users WHERE email_key = ?", emailKey).map(Self.userRecord)
  }

  public func user(authenticationMethod: Int, externalSubject: String) throws -> UserRecord? {
    try row(
      sql: "SELECT \(Self.userColumns) FROM users WHERE authentication_method = ? AND external_subject = ?",
      Int64(authenticationMethod), externalSubject
    ).map(Self.userRecord)
  }

  /// Writes every mutable column of `user` and increases its version by one, but only if the
  /// stored version is still `user.version`. Returns the stored record, or nil when the
  /// version moved (someone else changed it first) or the user is gone.
  ///
  /// - Throws: `DatabaseError.constraintUnique` when a new email is taken.
  @discardableResult
  public func updateUser(_ user: UserRecord) throws -> UserRecord? {
    try execute(
      sql: """
        UPDATE users SET email = ?, email_key = ?, password_hash = ?, first_name = ?, last_name = ?,
          display_name = ?, contact_person = ?, company = ?, phone = ?, phone_verified = ?,
          subscription_plan = ?, plan_since = ?, version = version + 1
        WHERE id = ? AND version = ?
        """,
      arguments: [
        user.email, user.emailKey, user.passwordHash, user.firstName, user.lastName, user.displayName,
        user.contactPerson, user.company, user.phone, user.phoneVerified, Int64(user.subscriptionPlan),
        user.planSince, user.id, user.version,
      ])
    guard changes == 1 else { return nil }
    var stored = user
    stored.version += 1
    return stored
  }

  /// Deletes a user; sessions, settings, memberships, codes and connections go with it (foreign
  /// keys cascade). Audit entries and queued outbox messages stay.
  public func deleteUser(id: String) throws {
    try execute(sql: "DELETE FROM users WHERE id = ?", id)
  }

  private static func userRecord(_ row: Row) throws -> UserRecord {
    UserRecord(
      id: try row.get(0), email: try row.get(1), emailKey: try row.get(2), passwordHash: try row.get(3),
      authenticationMethod: try row.get(4), externalSubject: try row.get(5), firstName: try row.get(6),
      lastName: try row.get(7), displayName: try row.get(8), contactPerson: try row.get(9),
      company: try row.get(10), phone: try row.get(11), phoneVerified: try row.get(12),
      subscriptionPlan: try row.get(13), planSince: try row.get(14), createdAt: try row.get(15),
      version: try row.get(16))
  }
}
