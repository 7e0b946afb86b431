import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension TokensService {
  /// The caller's tokens, newest first, expired ones included; never a secret. Writes the
  /// gathered last-used times first, so they are current.
  func listTokens(_ context: ServerContext) async throws -> Tokens.ListTokensResponse {
    let caller = try await environment.authenticator.caller(context)
    try await environment.flushSessionUse()
    let userID = caller.userID
    let tokens = try await environment.database.read { db in try db.apiTokens(userID: userID) }
    return Tokens.ListTokensResponse(
      tokens: tokens.map { token in
        Tokens.Token(
          id: token.id, name: token.name, prefix: token.prefix, createdAt: token.createdAt,
          expiresAt: token.expiresAt, lastUsedAt: token.lastUsedAt)
      })
  }

  /// Gives one of the caller's tokens a new secret (returned once) and a new expiry; the old
  /// secret stops working at once.
  ///
  /// - Throws: `NOT_FOUND` for a token that is not the caller's; `FAILED_PRECONDITION` when the
  ///   caller's organization switched API tokens off.
  func regenerateToken(_ request: Tokens.RegenerateTokenRequest, _ context: ServerContext) async throws -> Tokens.IssuedToken {
    let caller = try await environment.authenticator.caller(context)
    try Self.requireSession(caller)
    var validator = FieldValidator()
    validator.text("id", request.id, length: 1...64)
    if let days = request.expiresInDays { validator.integer("expiresInDays", days, in: 1...Self.maximumLifetimeDays) }
    try validator.check()

    let now = environment.now()
    let userID = caller.userID
    let organizationID = caller.organizationID
    let secret = try Identifiers.token(Self.secretPrefix)
    let hash = SHA256.hash(Array(secret.utf8))
    let prefix = String(secret.prefix(Self.shownPrefixLength))
    let mutation = caller.mutation(now: now)
    let regenerated = try await environment.database.write { db -> APITokenRecord? in
      guard var token = try db.apiToken(id: request.id, userID: userID) else { return nil }
      try Self.requireTokensEnabled(db, organizationID: organizationID)
      token.tokenHash = hash
      token.prefix = prefix
      token.lifetimeDays = min(request.expiresInDays ?? token.lifetimeDays, Self.maximumLifetimeDays)
      token.expiresAt = Self.expiry(from: now, days: token.lifetimeDays)
      _ = try db.replaceAPITokenSecret(
        id: token.id, userID: userID, tokenHash: hash, prefix: prefix, lifetimeDays: token.lifetimeDays,
        expiresAt: token.expiresAt)
      try db.audit("token.regenerate", subject: userID, target: token.id, context: mutation)
      return token
    }
    guard let regenerated else { throw RPCError(.notFound, "you have no API token '\(request.id)'") }
    environment.sessions.evict(tokenID: regenerated.id)
    return Self.issued(regenerated, secret: secret)
  }

  /// Deletes one of the caller's tokens; its secret stops working at once.
  ///
  /// - Throws: `NOT_FOUND` for a token that is not the caller's.
  func deleteToken(_ request: Tokens.DeleteTokenRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    try Self.requireSession(caller)
    var validator = FieldValidator()
    validator.text("id", request.id, length: 1...64)
    try validator.check()
    let userID = caller.userID
    let mutation = caller.mutation()
    let removed = try await environment.database.write { db -> Bool in
      guard try db.deleteAPIToken(id: request.id, userID: userID) else { return false }
      try db.audit("token.delete", subject: userID, target: request.id, context: mutation)
      return true
    }
    guard removed else { throw RPCError(.notFound, "you have no API token '\(request.id)'") }
    environment.sessions.evict(tokenID: request.id)
    return Empty()
  }
}
