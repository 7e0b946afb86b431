import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// The caller's sessions, newest first, marking the one the call was made with.
  func listSessions(_ context: ServerContext) async throws -> Accounts.ListSessionsResponse {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsOnly)
    try await environment.flushSessionUse()
    let sessions = try await environment.database.read { db in try db.sessions(userID: caller.userID) }
    let now = environment.now()
    return Accounts.ListSessionsResponse(
      sessions: sessions.filter { $0.expiresAt > now }.map { session in
        Accounts.Session(
          id: session.id, createdAt: session.createdAt, expiresAt: session.expiresAt,
          lastUsedAt: session.lastUsedAt, current: session.id == caller.credentialID)
      })
  }

  /// Ends one of the caller's sessions (any but a session of another user: that is NOT_FOUND).
  func revokeSession(_ request: Accounts.RevokeSessionRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsOnly)
    var validator = FieldValidator()
    validator.text("id", request.id, length: 1...64)
    try validator.check()
    let removed = try await environment.database.write { db -> Bool in
      guard try db.deleteSession(id: request.id, userID: caller.userID) else { return false }
      try db.audit("session.revoke", subject: caller.userID, target: request.id, context: caller.mutation())
      return true
    }
    guard removed else { throw RPCError(.notFound, "you have no session '\(request.id)'") }
    environment.sessions.evict(sessionID: request.id)
    return Empty()
  }

  /// For a trusted sign-in front end: signs in the person an external provider vouched for,
  /// creating the account on first use with the company taken from the email's domain.
  func signInWithExternalIdentity(_ request: Accounts.ExternalIdentityRequest, _ context: ServerContext) async throws -> Accounts.SignInResponse {
    var validator = FieldValidator()
    validator.text("subject", request.subject, length: 1...256)
    validator.email("email", request.email)
    validator.text("firstName", request.firstName, length: 1...100)
    validator.text("lastName", request.lastName, length: 1...100)
    try validator.check()

    let method = Self.authenticationMethod(of: request.provider)
    let now = environment.now()
    if let existing = try await environment.database.read({ db in
      try db.user(authenticationMethod: method.rawValue, externalSubject: request.subject)
    }) {
      return try await startSession(for: existing, context: context, action: "session.create", now: now)
    }
    let user = UserRecord(
      id: try Identifiers.make("usr"), email: request.email, emailKey: request.email.lowercased(),
      passwordHash: nil, authenticationMethod: method.rawValue, externalSubject: request.subject,
      firstName: request.firstName, lastName: request.lastName,
      displayName: "\(request.firstName) \(request.lastName)", contactPerson: nil,
      company: Self.company(fromEmail: request.email), phone: nil, phoneVerified: false,
      subscriptionPlan: Profile.SubscriptionPlan.free.rawValue, planSince: now, createdAt: now, version: 1)
    let mutation = MutationContext(
      actor: "trusted:\(context.peer.uid)", requestID: context.requestID, peerUID: context.peer.uid, now: now)
    try await createAccount(user, mutation: mutation)
    var response = try await openSession(for: user, context: context, action: "session.create", now: now)
    response.created = true
    return response
  }

  static func authenticationMethod(of provider: Accounts.IdentityProvider) -> Profile.AuthenticationMethod {
    switch provider {
    case .microsoft365: .microsoft365
    case .azure: .azure
    case .google: .google
    }
  }

  /// `ada@analytical-engines.co.uk` → `Analytical-engines`: the first label of the domain,
  /// capitalised. Nil for the big mail providers, whose domain says nothing about a company.
  package static func company(fromEmail email: String) -> String? {
    guard let domain = email.split(separator: "@").last?.lowercased(),
      let first = domain.split(separator: ".").first
    else { return nil }
    let freeMail: Set<String> = ["gmail", "googlemail", "outlook", "hotmail", "live", "yahoo", "icloud", "proton", "protonmail", "gmx", "aol"]
    guard !freeMail.contains(String(first)) else { return nil }
    return first.prefix(1).uppercased() + first.dropFirst()
  }
}
