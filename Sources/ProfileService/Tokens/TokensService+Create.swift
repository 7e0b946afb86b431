import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension TokensService {
  static let createMethod = "Tokens.CreateToken"

  /// Creates a token and returns its secret once.
  ///
  /// With `idempotency-key` metadata, a retry within 24 hours returns the same token and secret
  /// (the secret is kept sealed with the key for that long) instead of creating another.
  ///
  /// - Throws: `INVALID_ARGUMENT` for bad fields or a bad key; `FAILED_PRECONDITION` when the
  ///   caller's organization switched API tokens off, or the key was used with a different
  ///   request (`IDEMPOTENCY_KEY_REUSED`) or its token was since regenerated or deleted
  ///   (`IDEMPOTENT_RESULT_GONE`); `RESOURCE_EXHAUSTED` at ``maximumPerUser`` tokens.
  func createToken(_ request: Tokens.CreateTokenRequest, _ context: ServerContext) async throws -> Tokens.IssuedToken {
    let caller = try await environment.authenticator.caller(context)
    try Self.requireSession(caller)
    let idempotencyKey = IdempotencyKey(context, method: Self.createMethod)
    var validator = FieldValidator()
    validator.text("name", request.name, length: 1...100)
    if let days = request.expiresInDays { validator.integer("expiresInDays", days, in: 1...Self.maximumLifetimeDays) }
    idempotencyKey.validate(into: &validator)
    try validator.check()

    let days = request.expiresInDays ?? Self.maximumLifetimeDays
    let now = environment.now()
    let userID = caller.userID
    let organizationID = caller.organizationID
    let secret = try Identifiers.token(Self.secretPrefix)
    let record = APITokenRecord(
      id: try Identifiers.make("tok"), userID: userID, name: request.name, tokenHash: SHA256.hash(Array(secret.utf8)),
      prefix: String(secret.prefix(Self.shownPrefixLength)), lifetimeDays: days, createdAt: now,
      expiresAt: Self.expiry(from: now, days: days), lastUsedAt: nil)
    let secretsKey = environment.secretsKey
    let sealingContext = Array("idempotency_keys.result|\(userID)".utf8)
    let requestHash = idempotencyKey.requestHash("\(days)\u{0}\(request.name)")
    let sealedSecret = try idempotencyKey.value.map { _ in
      try AESGCM.seal(Array(secret.utf8), key: secretsKey, associatedData: sealingContext)
    }
    let mutation = caller.mutation(now: now)
    return try await environment.database.write { db in
      if let earlier = try idempotencyKey.earlier(
        owner: .user(userID), requestHash: requestHash, differences: "another name or lifetime", now: now, in: db)
      {
        return try Self.replay(earlier, userID: userID, db: db, secretsKey: secretsKey, sealingContext: sealingContext)
      }
      try Self.requireTokensEnabled(db, organizationID: organizationID)
      guard try db.apiTokenCount(userID: userID) < Self.maximumPerUser else {
        throw RPCError(
          .resourceExhausted, "you have \(Self.maximumPerUser) API tokens, the most allowed; delete one first",
          details: ErrorDetails(quotaViolations: [
            .init(subject: "apiTokens", description: "at most \(Self.maximumPerUser) API tokens per user")
          ]))
      }
      try db.insertAPIToken(record)
      if let sealedSecret {
        try idempotencyKey.record(
          owner: .user(userID), requestHash: requestHash, resultID: record.id, result: sealedSecret, now: now, in: db)
      }
      try db.audit("token.create", subject: userID, target: record.id, context: mutation)
      return Self.issued(record, secret: secret)
    }
  }

  /// The first result of a create made with the same idempotency key.
  private static func replay(
    _ earlier: IdempotencyRecord, userID: String, db: Database, secretsKey: [UInt8], sealingContext: [UInt8]
  ) throws -> Tokens.IssuedToken {
    let secret = try AESGCM.open(earlier.result, key: secretsKey, associatedData: sealingContext)
    guard let token = try db.apiToken(id: earlier.resultID, userID: userID), token.tokenHash == SHA256.hash(secret)
    else {
      throw RPCError(
        .failedPrecondition, "the token this idempotency-key created was since regenerated or deleted",
        details: ErrorDetails(preconditionViolations: [
          .init(
            type: "IDEMPOTENT_RESULT_GONE", subject: Metadata.idempotencyKey,
            description: "the token the key created no longer has that secret")
        ]))
    }
    return issued(token, secret: String(decoding: secret, as: UTF8.self))
  }
}
