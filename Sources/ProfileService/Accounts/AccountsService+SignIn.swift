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
    try await refuseIfLockedOut(emailKey: emailKey, now: now)
    let user = try await environment.database.read { db in try db.user(emailKey: emailKey) }
    guard try await environment.verifyPassword(request.password, against: user?.passwordHash), let user else {
      try await recordFailedSignIn(emailKey: emailKey, userID: user?.id, context: context, now: now)
      throw RPCError(.unauthenticated, "the email or password is wrong")
    }
    if environment.hasher.needsRehash(user.passwordHash!) {
      let rehashed = try await environment.hashPassword(request.password)
      var updated = user
      updated.passwordHash = rehashed
      let rehashedUser = updated
      _ = try await environment.database.write { db in try db.updateUser(rehashedUser) }
    }
    return try await openSession(for: user, context: context, action: "session.create", now: now)
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

  private func refuseIfLockedOut(emailKey: String, now: Date) async throws {
    let window = environment.configuration.signInWindow.timeInterval
    let limit = environment.configuration.maxFailedSignIns
    let failures = try await environment.database.read { db in
      try db.failedSignIns(emailKey: emailKey, since: now.addingTimeInterval(-window))
    }
    guard failures.count >= limit else { return }
    // Attempts resume when enough failures age out of the window to leave fewer than the limit.
    let reopens = failures[failures.count - limit].addingTimeInterval(window)
    let wait = max(1, Int64((reopens.timeIntervalSince(now) * 1000).rounded(.up)))
    throw RPCError(
      .resourceExhausted, "too many failed sign-ins for this account; try again later",
      details: ErrorDetails(
        quotaViolations: [.init(subject: "sign-in", description: "\(limit) failed sign-ins within \(Int(window / 60)) minutes")],
        retryAfterMilliseconds: wait))
  }

  private func recordFailedSignIn(emailKey: String, userID: String?, context: ServerContext, now: Date) async throws {
    let mutation = MutationContext(actor: userID ?? "anonymous", requestID: context.requestID, peerUID: context.peer.uid, now: now)
    let window = environment.configuration.signInWindow.timeInterval
    try await environment.database.write { db in
      // Failures older than the window count for nothing: dropping them keeps the table as
      // small as the failures of the last window, whoever sends them.
      try db.pruneFailedSignIns(before: now.addingTimeInterval(-window))
      try db.recordFailedSignIn(emailKey: emailKey, at: now)
      if let userID { try db.audit("session.create.failed", subject: userID, target: userID, context: mutation) }
    }
  }

  /// Ends the calling session.
  func signOut(_ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
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
    let caller = try await environment.authenticator.caller(token: request.token, context: context)
    return Accounts.VerifyTokenResponse(
      userId: caller.userID, email: caller.email, organizationId: caller.organizationID,
      roles: caller.role.map { [$0] } ?? [], kind: caller.kind == .session ? .session : .apiToken,
      expiresAt: caller.expiresAt)
  }
}
