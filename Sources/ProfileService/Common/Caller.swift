public import Foundation
public import ProfileStore
public import RPC

/// The user a call acts for, established from its bearer token.
public struct Caller: Sendable {
  public enum Kind: Sendable, Equatable {
    case session
    case apiToken
  }

  public let userID: String
  public let organizationID: String
  public let email: String
  /// The user's role in ``organizationID``.
  public let role: String?
  public let kind: Kind
  /// The session's (or API token's) id.
  public let credentialID: String
  public let expiresAt: Date
  /// True when the user must enroll MFA before doing anything else (see
  /// ``Authenticator/Admission``).
  public let mfaEnrollmentRequired: Bool
  /// When the token was checked, on the service clock: the time the call acts at.
  public let authenticatedAt: Date
  public let context: ServerContext

  /// The audit and timing context of a mutation this caller makes, at ``authenticatedAt``
  /// unless told otherwise.
  public func mutation(now: Date? = nil) -> MutationContext {
    MutationContext(actor: userID, requestID: context.requestID, peerUID: context.peer.uid, now: now ?? authenticatedAt)
  }
}
