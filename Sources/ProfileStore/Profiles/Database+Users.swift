internal import Foundation

extension Database {
  private static let userColumns = """
    id, email, email_key, password_hash, authentication_method, external_subject, first_name,
    last_name, display_name, contact_person, company, phone, phone_verified, subscription_plan,
    plan_since, created_at, version
    """

  // Built once: each look-up hashes its SQL to find the prepared statement, and an interpolated
  // string would be built again on every call.
  private static let userByID = "SELECT \(userColumns) FROM users WHERE id = ?"
  private static let profileByID = """
    SELECT \(userColumns), EXISTS (SELECT 1 FROM avatars WHERE avatars.user_id = users.id)
    FROM users WHERE id = ?
    """
  private static let userByEmailKey = "SELECT \(userColumns) FROM users WHERE email_key = ?"
  private static let userByExternalIdentity =
    "SELECT \(userColumns) FROM users WHERE authentication_method = ? AND external_subject = ?"

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
    try row(sql: Self.userByID, id).map(Self.userRecord)
  }

  /// The user and whether they have an avatar, in one statement: what a profile answer needs.
  public func userWithAvatarPresence(id: String) throws -> (user: UserRecord, hasAvatar: Bool)? {
    try row(sql: Self.profileByID, id).map { row in (try Self.userRecord(row), try row.get(17) as Bool) }
  }

  public func user(emailKey: String) throws -> UserRecord? {
    try row(sql: Self.userByEmailKey, emailKey).map(Self.userRecord)
  }

  public func user(authenticationMethod: Int, externalSubject: String) throws -> UserRecord? {
    try row(
      sql: Self.userByExternalIdentity, Int64(authenticationMethod), externalSubject
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

  /// Applies `edit` to the user `id` and reads the result: only when the stored version is
  /// `expectedVersion` (if given), and only when the edit changes a value. Text is compared by
  /// its bytes.
  ///
  /// Two statements, an `UPDATE` that merges, checks and skips in SQLite, then the profile's
  /// `SELECT`, which also tells a stale version, an unchanged profile and a missing user apart.
  /// Not one `UPDATE … RETURNING`: SQLite runs `RETURNING` as a trigger program that gathers
  /// its rows in a temporary table it creates on every run, which took 62,300 instructions per
  /// edit against 36,500 for the two statements (callgrind, the same edit on this schema).
  ///
  /// Only the name columns are in the `UPDATE`, so SQLite leaves the unique email index alone:
  /// setting `email_key`, even to the value it has, makes it check the index and rewrite the
  /// entry (a page of its own in the commit).
  public func editNames(ofUser id: String, _ edit: NameEdit, expectedVersion: Int64?) throws -> NameEditResult {
    try execute(
      sql: Self.editNamesSQL, id, edit.firstName, edit.lastName, edit.displayName, edit.contactPerson, edit.company,
      expectedVersion)
    let wrote = changes == 1
    guard let (user, hasAvatar) = try userWithAvatarPresence(id: id) else { return .missing }
    if wrote { return .updated(user, hasAvatar: hasAvatar) }
    if let expectedVersion, expectedVersion != user.version { return .stale(current: user.version) }
    return .unchanged(user, hasAvatar: hasAvatar)
  }

  /// `?1` the id, `?2` to `?6` the edit, `?7` the expected version or NULL.
  private static let editNamesSQL = """
    UPDATE users SET \(editedColumns.map { "\($0.column) = \($0.value)" }.joined(separator: ", ")),
      version = version + 1
    WHERE id = ?1 AND (?7 IS NULL OR version = ?7)
      AND (\(editedColumns.map { "\($0.column) IS NOT \($0.value)" }.joined(separator: " OR ")))
    """

  /// Each column an edit may change with its new value: the parameter, or the column as it is
  /// when the parameter is NULL; for the two optional columns `''` clears the value.
  private static let editedColumns: [(column: String, value: String)] = [
    ("first_name", "coalesce(?2, first_name)"),
    ("last_name", "coalesce(?3, last_name)"),
    ("display_name", "coalesce(?4, display_name)"),
    ("contact_person", "CASE WHEN ?5 IS NULL THEN contact_person ELSE nullif(?5, '') END"),
    ("company", "CASE WHEN ?6 IS NULL THEN company ELSE nullif(?6, '') END"),
  ]

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
