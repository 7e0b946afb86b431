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

  /// Which credentials a method accepts.
  public enum Admission: Sendable {
    /// Sessions and API tokens of users who may act (the default).
    case sessionsAndTokens
    /// Sessions only: an API token is `PERMISSION_DENIED`. For managing credentials and the
    /// account itself.
    case sessionsOnly
    /// Sessions only, including those of users who must enroll MFA before anything else.
    case sessionsWhileEnrollingMFA
    /// Sessions and API tokens of users who may act, and sessions of users who must enroll MFA:
    /// for the way out of what requires the enrollment (leaving the organization that enforces
    /// it, which someone else may have added the user to).
    case sessionsAndTokensOrEnrollingSessions
  }

  /// The user the call acts for.
  ///
  /// - Throws: `UNAUTHENTICATED` when the token is missing, unknown, expired or revoked;
  ///   `PERMISSION_DENIED` for an API token where `admission` wants a session;
  ///   `FAILED_PRECONDITION` (type `MFA_ENROLLMENT_REQUIRED`) when an organization the user
  ///   belongs to enforces MFA, the user has not enrolled, and `admission` does not allow that.
  public func caller(_ context: ServerContext, admission: Admission = .sessionsAndTokens) async throws -> Caller {
    guard let token = context.metadata.bearerToken else {
      throw RPCError(.unauthenticated, "this method needs 'authorization: Bearer <token>' metadata")
    }
    return try await caller(token: token, context: context, admission: admission)
  }

  /// The user `token` belongs to: a session's, or else an API token's (acting in its owner's
  /// personal organization). Throws as ``caller(_:admission:)`` does.
  public func caller(
    token: String, context: ServerContext, admission: Admission = .sessionsAndTokens
  ) async throws -> Caller {
    try Self.admit(try await verifiedCaller(token: token, context: context), admission)
  }

  /// ``caller(token:context:admission:)`` while the token's verification is cached, and nil
  /// when it is not: synchronous and without database access, for a handler that answers on
  /// the loop thread and leaves a miss to its task. Throws as that does.
  public func cachedCaller(
    token: String, context: ServerContext, admission: Admission = .sessionsAndTokens
  ) throws -> Caller? {
    let lookup = try cacheLookup(token)
    guard let entry = lookup.entry else { return nil }
    return try Self.admit(Self.caller(entry, at: lookup.now, context: context), admission)
  }

  /// The token's hash, the time it is checked at, and its cached verification, if any.
  ///
  /// - Throws: `UNAUTHENTICATED` for a token too long to be one of ours.
  private func cacheLookup(_ token: String) throws -> (hash: [UInt8], now: Date, entry: SessionCache.Entry?) {
    guard token.utf8.count <= 512 else { throw Self.unknownToken }
    let now = self.now()
    let hash = SHA256.hash(token.utf8)
    return (hash, now, cache.lookup(hash, now: now))
  }

  /// `caller` unless `admission` refuses its kind of credential or its pending MFA enrollment.
  private static func admit(_ caller: Caller, _ admission: Admission) throws -> Caller {
    let tokensAdmitted = admission == .sessionsAndTokens || admission == .sessionsAndTokensOrEnrollingSessions
    if !tokensAdmitted, caller.kind != .session {
      throw RPCError(.permissionDenied, "this method needs a signed-in session; API tokens cannot call it")
    }
    if caller.mfaEnrollmentRequired {
      let enrollingAdmitted =
        admission == .sessionsWhileEnrollingMFA
        || (admission == .sessionsAndTokensOrEnrollingSessions && caller.kind == .session)
      if !enrollingAdmitted { throw Self.enrollmentRequired }
    }
    return caller
  }

  private func verifiedCaller(token: String, context: ServerContext) async throws -> Caller {
    let (hash, now, cached) = try cacheLookup(token)
    let entry: SessionCache.Entry
    if let cached {
      entry = cached
    } else {
      let generation = cache.generation
      guard
        let found = try await database.read({ db -> SessionCache.Entry? in
          if let session = try db.session(tokenHash: hash) {
            guard let user = try db.user(id: session.userID) else { return nil }
            return SessionCache.Entry(
              sessionID: session.id, userID: session.userID, organizationID: session.organizationID,
              email: user.email, role: try db.role(userID: user.id, organizationID: session.organizationID),
              expiresAt: session.expiresAt, kind: .session,
              mfaEnrollmentRequired: try db.mfaEnrollmentRequired(userID: user.id), cachedAt: .now)
          }
          guard let token = try db.apiToken(tokenHash: hash), let user = try db.user(id: token.userID),
            let organizationID = try db.personalOrganizationID(userID: user.id)
          else { return nil }
          return SessionCache.Entry(
            sessionID: token.id, userID: user.id, organizationID: organizationID, email: user.email,
            role: try db.role(userID: user.id, organizationID: organizationID), expiresAt: token.expiresAt,
            kind: .apiToken, mfaEnrollmentRequired: try db.mfaEnrollmentRequired(userID: user.id), cachedAt: .now)
        }), found.expiresAt > now
      else { throw Self.unknownToken }
      cache.store(hash, entry: found, now: now, ifGeneration: generation)
      entry = found
    }
    return Self.caller(entry, at: now, context: context)
  }

  private static func caller(_ entry: SessionCache.Entry, at now: Date, context: ServerContext) -> Caller {
    Caller(
      userID: entry.userID, organizationID: entry.organizationID, email: entry.email, role: entry.role,
      kind: entry.kind, credentialID: entry.sessionID, expiresAt: entry.expiresAt,
      mfaEnrollmentRequired: entry.mfaEnrollmentRequired, authenticatedAt: now, context: context)
  }

  static let unknownToken = RPCError(.unauthenticated, "the token is unknown, expired or revoked")

  static let enrollmentRequired = RPCError(
    .failedPrecondition,
    "an organization you belong to requires multi-factor authentication: enroll with MFA.BeginEnrollment and MFA.ConfirmEnrollment first",
    details: ErrorDetails(preconditionViolations: [
      .init(
        type: "MFA_ENROLLMENT_REQUIRED", subject: "mfa",
        description: "until MFA is on, this session can only enroll it")
    ]))
}
