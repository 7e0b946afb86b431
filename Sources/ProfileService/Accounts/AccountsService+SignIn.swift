import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// Checks email and password and opens a session. Five failures for an email within the
  /// window refuse further attempts with `RESOURCE_EXHAUSTED` and a retry-after detail.
  func signIn(_ request: Accounts.SignInRequest, _ context: ServerContext) async throws -> Accounts.SignInResponse {
    var validator = FieldValidator()
    validator.text("email", request.email, length: 1...254)
    validator.text("password", request.password, length: 1...environment.configuration.passwordPolicy.maximumLength)
    try validator.check()

    let emailKey = request.email.lowercased()
    let now = environment.now()
    let user = try await environment.database.read { db in try db.user(emailKey: emailKey) }
    let mutation = MutationContext(
      actor: user?.id ?? "anonymous", requestID: context.requestID, peerUID: context.peer.uid, now: now)
    guard
      try await environment.checkPasswordAttempt(
        request.password, against: user?.passwordHash, emailKey: emailKey, userID: user?.id,
        failedAction: "session.create.failed", mutation: mutation),
      let user
    else {
      throw RPCError(.unauthenticated, "the email or password is wrong")
    }
    if environment.hasher.needsRehash(user.passwordHash!) {
      let rehashed = try await environment.hashPassword(request.password)
      var updated = user
      updated.passwordHash = rehashed
      let rehashedUser = updated
      _ = try await environment.database.write { db in try db.updateUser(rehashedUser) }
    }
    return try await startSession(for: user, context: context, action: "session.create", now: now)
  }

  /// Opens a session, or (when the user has MFA on) a challenge that
  /// ``completeMFASignIn(_:_:)`` turns into one.
  func startSession(for user: UserRecord, context: ServerContext, action: String, now: Date) async throws -> Accounts.SignInResponse {
    let challengeID = try Identifiers.token("mfc")
    let expiresAt = now.addingTimeInterval(environment.configuration.mfaChallengeLifetime.timeInterval)
    let mutation = MutationContext(actor: user.id, requestID: context.requestID, peerUID: context.peer.uid, now: now)
    let challenged = try await environment.database.write { db -> Bool in
      guard try db.mfaFactor(userID: user.id)?.isEnabled == true else { return false }
      try db.pruneMFAChallenges(before: now)
      try db.insertMFAChallenge(idHash: SHA256.hash(Array(challengeID.utf8)), userID: user.id, createdAt: now, expiresAt: expiresAt)
      try db.audit("mfa.challenge", subject: user.id, target: user.id, context: mutation)
      return true
    }
    guard challenged else { return try await openSession(for: user, context: context, action: action, now: now) }
    return Accounts.SignInResponse(userId: user.id, challengeId: challengeID)
  }

  /// Creates a session in the user's personal organization and returns its token once.
  func openSession(for user: UserRecord, context: ServerContext, action: String, now: Date) async throws -> Accounts.SignInResponse {
    let token = try Identifiers.token("pss")
    let sessionID = try Identifiers.make("ses")
    let expiresAt = now.addingTimeInterval(environment.configuration.sessionLifetime.timeInterval)
    let mutation = MutationContext(actor: user.id, requestID: context.requestID, peerUID: context.peer.uid, now: now)
    try await environment.database.write { db in
      guard let organizationID = try db.personalOrganizationID(userID: user.id) else {
        throw RPCError(.internal, "the account has no personal organization")
      }
      try db.insertSession(
        SessionRecord(
          id: sessionID, userID: user.id, tokenHash: SHA256.hash(Array(token.utf8)),
          organizationID: organizationID, createdAt: now, expiresAt: expiresAt, lastUsedAt: now))
      try db.clearFailedSignIns(emailKey: user.emailKey)
      try db.audit(action, subject: user.id, target: sessionID, context: mutation)
    }
    return Accounts.SignInResponse(userId: user.id, token: token, expiresAt: expiresAt)
  }

  /// Ends the calling session.
  func signOut(_ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsWhileEnrollingMFA)
    try await environment.database.write { db in
      try db.deleteSession(id: caller.credentialID, userID: caller.userID)
      try db.audit("session.end", subject: caller.userID, target: caller.credentialID, context: caller.mutation())
    }
    environment.sessions.evict(sessionID: caller.credentialID)
    return Empty()
  }

  /// For other services: who a bearer token belongs to. Fast: a cached verification costs no
  /// database access.
  func verifyToken(_ request: Accounts.VerifyTokenRequest, _ context: ServerContext) async throws -> Accounts.VerifyTokenResponse {
    Self.verification(of: try await environment.authenticator.caller(token: request.token, context: context))
  }

  /// ``verifyToken(_:_:)`` for a token whose verification is cached, on the loop thread; nil
  /// for the others, which need the database.
  func verifyCachedToken(
    _ request: Accounts.VerifyTokenRequest, _ context: ServerContext
  ) throws -> Accounts.VerifyTokenResponse? {
    try environment.authenticator.cachedCaller(token: request.token, context: context).map(Self.verification(of:))
  }

  private static func verification(of caller: Caller) -> Accounts.VerifyTokenResponse {
    Accounts.VerifyTokenResponse(
      userId: caller.userID, email: caller.email, organizationId: caller.organizationID,
      roles: caller.role.map { [$0] } ?? [], kind: caller.kind == .session ? .session : .apiToken,
      expiresAt: caller.expiresAt)
  }
}
