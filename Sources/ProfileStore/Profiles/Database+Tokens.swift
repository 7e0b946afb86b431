public import Foundation

extension Database {
  private static let apiTokenColumns =
    "id, user_id, name, token_hash, prefix, lifetime_days, created_at, expires_at, last_used_at"

  public func insertAPIToken(_ token: APITokenRecord) throws {
    try execute(
      sql: "INSERT INTO api_tokens (\(Self.apiTokenColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      token.id, token.userID, token.name, token.tokenHash, token.prefix, token.lifetimeDays, token.createdAt,
      token.expiresAt, token.lastUsedAt)
  }

  public func apiToken(tokenHash: [UInt8]) throws -> APITokenRecord? {
    try row(sql: "SELECT \(Self.apiTokenColumns) FROM api_tokens WHERE token_hash = ?", tokenHash)
      .map(Self.apiTokenRecord)
  }

  /// One of the user's tokens; nil when it is another user's or gone.
  public func apiToken(id: String, userID: String) throws -> APITokenRecord? {
    try row(sql: "SELECT \(Self.apiTokenColumns) FROM api_tokens WHERE id = ? AND user_id = ?", id, userID)
      .map(Self.apiTokenRecord)
  }

  /// The user's tokens, newest first.
  public func apiTokens(userID: String) throws -> [APITokenRecord] {
    try rows(
      sql: "SELECT \(Self.apiTokenColumns) FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id", userID
    ).map(Self.apiTokenRecord)
  }

  public func apiTokenCount(userID: String) throws -> Int {
    try value(Int.self, sql: "SELECT count(*) FROM api_tokens WHERE user_id = ?", userID) ?? 0
  }

  /// Gives one of the user's tokens a new secret and expiry; returns false when it was not
  /// theirs or is gone.
  public func replaceAPITokenSecret(
    id: String, userID: String, tokenHash: [UInt8], prefix: String, lifetimeDays: Int, expiresAt: Date
  ) throws -> Bool {
    try execute(
      sql: """
        UPDATE api_tokens SET token_hash = ?, prefix = ?, lifetime_days = ?, expires_at = ?
        WHERE id = ? AND user_id = ?
        """, tokenHash, prefix, lifetimeDays, expiresAt, id, userID)
    return changes == 1
  }

  /// Deletes one of the user's tokens; returns false when it was not theirs or is gone.
  @discardableResult
  public func deleteAPIToken(id: String, userID: String) throws -> Bool {
    try execute(sql: "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", id, userID)
    return changes == 1
  }

  /// Records when tokens were last used; a token that is gone is skipped.
  public func touchAPITokens(_ lastUsed: [String: Date]) throws {
    for (id, time) in lastUsed {
      try execute(
        sql: "UPDATE api_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?", time, id)
    }
  }

  /// Whether the organization allows API tokens; false when it does not exist.
  public func apiTokensEnabled(organizationID: String) throws -> Bool {
    try value(Bool.self, sql: "SELECT api_tokens_enabled FROM organizations WHERE id = ?", organizationID) ?? false
  }

  private static func apiTokenRecord(_ row: Row) throws -> APITokenRecord {
    APITokenRecord(
      id: try row.get(0), userID: try row.get(1), name: try row.get(2), tokenHash: try row.get(3),
      prefix: try row.get(4), lifetimeDays: try row.get(5), createdAt: try row.get(6), expiresAt: try row.get(7),
      lastUsedAt: try row.get(8))
  }

  // MARK: Idempotency keys

  private static let insertUserIdempotencyKey = """
    INSERT INTO idempotency_keys (user_id, method, key, request_hash, result_id, result, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    """
  private static let insertCallerIdempotencyKey = """
    INSERT INTO caller_idempotency_keys (caller_uid, method, key, request_hash, result_id, result, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    """
  private static let selectUserIdempotencyKey = """
    SELECT request_hash, result_id, result, created_at FROM idempotency_keys
    WHERE user_id = ? AND method = ? AND key = ?
    """
  private static let selectCallerIdempotencyKey = """
    SELECT request_hash, result_id, result, created_at FROM caller_idempotency_keys
    WHERE caller_uid = ? AND method = ? AND key = ?
    """

  /// The SQL that reads (`select`) or adds (`insert`) a key of `owner`, and the owner's column value.
  private static func idempotencyKeyStatements(
    of owner: IdempotencyOwner
  ) -> (select: String, insert: String, owner: any DatabaseValueConvertible) {
    switch owner {
    case .user(let userID): (selectUserIdempotencyKey, insertUserIdempotencyKey, userID)
    case .trustedCaller(let uid): (selectCallerIdempotencyKey, insertCallerIdempotencyKey, Int64(uid))
    }
  }

  public func insertIdempotencyKey(_ record: IdempotencyRecord) throws {
    let statements = Self.idempotencyKeyStatements(of: record.owner)
    try execute(
      sql: statements.insert, statements.owner, record.method, record.key, record.requestHash, record.resultID,
      record.result, record.createdAt)
  }

  public func idempotencyKey(owner: IdempotencyOwner, method: String, key: String) throws -> IdempotencyRecord? {
    let statements = Self.idempotencyKeyStatements(of: owner)
    return try row(sql: statements.select, statements.owner, method, key).map { row in
      IdempotencyRecord(
        owner: owner, method: method, key: key, requestHash: try row.get(0), resultID: try row.get(1),
        result: try row.get(2), createdAt: try row.get(3))
    }
  }

  /// Forgets keys made before `cutoff`, users' and trusted callers'.
  @discardableResult
  public func pruneIdempotencyKeys(before cutoff: Date) throws -> Int {
    try execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?", cutoff)
    let forgotten = changes
    try execute(sql: "DELETE FROM caller_idempotency_keys WHERE created_at < ?", cutoff)
    return forgotten + changes
  }
}
