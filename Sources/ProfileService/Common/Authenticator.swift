public import ProfileStore
public import Foundation
public import RPC
internal import CryptoPrimitives

/// Turns a call's `authorization: Bearer <token>` metadata into the ``Caller``, or
/// `UNAUTHENTICATED`.
public struct Authenticator: Sendable {
  let database: ProfileDatabase
  let cache: SessionCache
  let now: @Sendable () -> Date

  public init(database: ProfileDatabase, cache: SessionCache, now: @escaping @Sendable () -> Date = { Date() }) {
    self.database = database
    self.cache = cache
    self.now = now
  }

  /// The user the call acts for.
  ///
  /// - Throws: `UNAUTHENTICATED` when the token is missing, unknown, expired or revoked.
  public func caller(_ context: ServerContext) async throws -> Caller {
    guard let token = context.metadata.bearerToken else {
      throw RPCError(.unauthenticated, "this method needs 'authorization: Bearer <token>' metadata")
    }
    return try await caller(token: token, context: context)
  }

  /// The user `token` belongs to: a session's, or else an API token's (acting in its owner's
  /// personal organization).
  public func caller(token: String, context: ServerContext) async throws -> Caller {
    guard token.utf8.count <= 512 else { throw Self.unknownToken }
    let now = self.now()
    let hash = SHA256.hash(Array(token.utf8))
    let entry: SessionCache.Entry
    if let cached = cache.lookup(hash, now: now) {
      entry = cached
    } else {
      guard
        let found = try await database.read({ db -> SessionCache.Entry? in
          if let session = try db.session(tokenHash: hash) {
            guard let user = try db.user(id: session.userID) else { return nil }
            return SessionCache.Entry(
              sessionID: session.id, userID: session.userID, organizationID: session.organizationID,
              email: user.email, role: try db.role(userID: user.id, organizationID: session.organizationID),
              expiresAt: session.expiresAt, kind: .session, cachedAt: .now)
          }
          guard let token = try db.apiToken(tokenHash: hash), let user = try db.user(id: token.userID),
            let organizationID = try db.personalOrganizationID(userID: user.id)
          else { return nil }
          return SessionCache.Entry(
            sessionID: token.id, userID: user.id, organizationID: organizationID, email: user.email,
            role: try db.role(userID: user.id, organizationID: organizationID), expiresAt: token.expiresAt,
            kind: .apiToken, cachedAt: .now)
        }), found.expiresAt > now
      else { throw Self.unknownToken }
      cache.store(hash, entry: found, now: now)
      entry = found
    }
    return Caller(
      userID: entry.userID, organizationID: entry.organizationID, email: entry.email, role: entry.role,
      kind: entry.kind, credentialID: entry.sessionID, expiresAt: entry.expiresAt, authenticatedAt: now,
      context: context)
  }

  static let unknownToken = RPCError(.unauthenticated, "the token is unknown, expired or revoked")
}
