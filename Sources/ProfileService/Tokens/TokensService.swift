import Foundation
import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Tokens`: personal API tokens. A token's secret is shown once (at creation or
/// regeneration) and stored only as its SHA-256; the ``Authenticator`` accepts it as a bearer
/// token acting in the owner's personal organization.
///
/// Creating, regenerating and deleting tokens needs a signed-in session: an API token cannot
/// mint or renew credentials for itself (`PERMISSION_DENIED`). Listing works with either.
public struct TokensService: RPCService {
  let environment: ServiceEnvironment

  /// Tokens one user may have, expired ones included.
  static let maximumPerUser = 50
  /// The longest lifetime, and the lifetime when none is asked for.
  static let maximumLifetimeDays = 365
  /// What tokens' secrets start with, so they are recognisable (and scannable) when leaked.
  static let secretPrefix = "pat"
  /// How much of a secret lists show: the `pat_` prefix and 8 random characters (40 of 256 bits).
  static let shownPrefixLength = 12

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Tokens.createToken) { request, context in try await createToken(request, context) }
    router.unary(Tokens.listTokens) { _, context in try await listTokens(context) }
    router.unary(Tokens.regenerateToken) { request, context in try await regenerateToken(request, context) }
    router.unary(Tokens.deleteToken) { request, context in try await deleteToken(request, context) }
  }

  /// Refuses calls made with an API token.
  static func requireSession(_ caller: Caller) throws {
    guard caller.kind == .session else {
      throw RPCError(.permissionDenied, "API tokens are managed from a signed-in session, not with an API token")
    }
  }

  /// Refuses when the caller's current organization has switched API tokens off.
  static func requireTokensEnabled(_ db: Database, organizationID: String) throws {
    guard try db.apiTokensEnabled(organizationID: organizationID) else {
      throw RPCError(
        .failedPrecondition, "API tokens are switched off in this organization",
        details: ErrorDetails(preconditionViolations: [
          .init(
            type: "API_TOKENS_DISABLED", subject: "organization",
            description: "the organization does not allow API tokens")
        ]))
    }
  }

  static func expiry(from now: Date, days: Int) -> Date {
    now.addingTimeInterval(TimeInterval(days) * 86_400)
  }

  static func issued(_ record: APITokenRecord, secret: String) -> Tokens.IssuedToken {
    Tokens.IssuedToken(
      id: record.id, token: secret, expiresAt: record.expiresAt, name: record.name, prefix: record.prefix)
  }
}
