public import Foundation
public import RPC
public import WireFormat

/// Sign-up, sign-in, sessions, password reset and account deletion.
public enum Accounts {
  public static let signUp = MethodDescriptor<SignUpRequest, SignUpResponse>(
    service: "Accounts", method: "SignUp", kind: .unary)
  public static let signIn = MethodDescriptor<SignInRequest, SignInResponse>(
    service: "Accounts", method: "SignIn", kind: .unary)
  public static let signInWithExternalIdentity = MethodDescriptor<
    ExternalIdentityRequest, SignInResponse
  >(service: "Accounts", method: "SignInWithExternalIdentity", kind: .unary, access: .trustedCallersOnly)
  public static let signOut = MethodDescriptor<Empty, Empty>(
    service: "Accounts", method: "SignOut", kind: .unary)
  public static let listSessions = MethodDescriptor<Empty, ListSessionsResponse>(
    service: "Accounts", method: "ListSessions", kind: .unary)
  public static let revokeSession = MethodDescriptor<RevokeSessionRequest, Empty>(
    service: "Accounts", method: "RevokeSession", kind: .unary)
  public static let verifyToken = MethodDescriptor<VerifyTokenRequest, VerifyTokenResponse>(
    service: "Accounts", method: "VerifyToken", kind: .unary, access: .trustedCallersOnly)
  public static let requestPasswordReset = MethodDescriptor<PasswordResetRequest, Empty>(
    service: "Accounts", method: "RequestPasswordReset", kind: .unary)
  public static let resetPassword = MethodDescriptor<ResetPasswordRequest, Empty>(
    service: "Accounts", method: "ResetPassword", kind: .unary)
  public static let deleteAccount = MethodDescriptor<DeleteAccountRequest, Empty>(
    service: "Accounts", method: "DeleteAccount", kind: .unary)
  /// The second step of a sign-in with MFA on: the challenge `SignIn` answered and a code from
  /// the app or a recovery code. A wrong code counts toward the sign-in limit.
  public static let completeMFASignIn = MethodDescriptor<CompleteMFASignInRequest, SignInResponse>(
    service: "Accounts", method: "CompleteMFASignIn", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Accounts",
    methods: [
      signUp.info, signIn.info, signInWithExternalIdentity.info, signOut.info, listSessions.info,
      revokeSession.info, verifyToken.info, requestPasswordReset.info, resetPassword.info,
      deleteAccount.info, completeMFASignIn.info,
    ])

  public struct SignUpRequest: Codable, Sendable, Equatable {
    public var email: String
    public var password: String
    public var firstName: String
    public var lastName: String
    public var company: String?
    public init(email: String, password: String, firstName: String, lastName: String, company: String? = nil) {
      self.email = email
      self.password = password
      self.firstName = firstName
      self.lastName = lastName
      self.company = company
    }
    enum CodingKeys: Int, CodingKey { case email = 1, password = 2, firstName = 3, lastName = 4, company = 5 }
  }

  public struct SignUpResponse: Codable, Sendable, Equatable {
    public var userId: String
    public init(userId: String) { self.userId = userId }
    enum CodingKeys: Int, CodingKey { case userId = 1 }
  }

  public struct CompleteMFASignInRequest: Codable, Sendable, Equatable {
    public var challengeId: String
    /// 6 digits from the authenticator app, or a recovery code.
    public var code: String
    public init(challengeId: String, code: String) {
      self.challengeId = challengeId
      self.code = code
    }
    enum CodingKeys: Int, CodingKey { case challengeId = 1, code = 2 }
  }

  public struct SignInRequest: Codable, Sendable, Equatable {
    public var email: String
    public var password: String
    public init(email: String, password: String) {
      self.email = email
      self.password = password
    }
    enum CodingKeys: Int, CodingKey { case email = 1, password = 2 }
  }

  /// A session, or (when multi-factor authentication is on) a challenge to complete first.
  public struct SignInResponse: Codable, Sendable, Equatable {
    public var userId: String
    /// The bearer token of the new session: shown once, stored only as a hash.
    public var token: String?
    public var expiresAt: Date?
    /// Set instead of `token` when the account needs a second factor.
    public var challengeId: String?
    /// True when this sign-in created the account (external identities on first use).
    public var created: Bool?
    public init(userId: String, token: String? = nil, expiresAt: Date? = nil, challengeId: String? = nil, created: Bool? = nil) {
      self.userId = userId
      self.token = token
      self.expiresAt = expiresAt
      self.challengeId = challengeId
      self.created = created
    }
    enum CodingKeys: Int, CodingKey { case userId = 1, token = 2, expiresAt = 3, challengeId = 4, created = 5 }
  }

  public enum IdentityProvider: Int, WireEnum {
    case microsoft365 = 1
    case azure = 2
    case google = 3
  }

  public struct ExternalIdentityRequest: Codable, Sendable, Equatable {
    public var provider: IdentityProvider
    /// The provider's stable id of the person.
    public var subject: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public init(provider: IdentityProvider, subject: String, email: String, firstName: String, lastName: String) {
      self.provider = provider
      self.subject = subject
      self.email = email
      self.firstName = firstName
      self.lastName = lastName
    }
    enum CodingKeys: Int, CodingKey { case provider = 1, subject = 2, email = 3, firstName = 4, lastName = 5 }
  }

  public struct Session: Codable, Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var expiresAt: Date
    public var lastUsedAt: Date?
    /// True for the session the call was made with.
    public var current: Bool
    public init(id: String, createdAt: Date, expiresAt: Date, lastUsedAt: Date?, current: Bool) {
      self.id = id
      self.createdAt = createdAt
      self.expiresAt = expiresAt
      self.lastUsedAt = lastUsedAt
      self.current = current
    }
    enum CodingKeys: Int, CodingKey { case id = 1, createdAt = 2, expiresAt = 3, lastUsedAt = 4, current = 5 }
  }

  public struct ListSessionsResponse: Codable, Sendable, Equatable {
    public var sessions: [Session]
    public init(sessions: [Session]) { self.sessions = sessions }
    enum CodingKeys: Int, CodingKey { case sessions = 1 }
  }

  public struct RevokeSessionRequest: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: Int, CodingKey { case id = 1 }
  }

  public struct VerifyTokenRequest: Codable, Sendable, Equatable {
    public var token: String
    public init(token: String) { self.token = token }
    enum CodingKeys: Int, CodingKey { case token = 1 }
  }

  public enum TokenKind: Int, WireEnum {
    case session = 1
    case apiToken = 2
  }

  public struct VerifyTokenResponse: Codable, Sendable, Equatable {
    public var userId: String
    public var email: String
    public var organizationId: String
    public var roles: [String]
    public var kind: TokenKind
    public var expiresAt: Date
    public init(userId: String, email: String, organizationId: String, roles: [String], kind: TokenKind, expiresAt: Date) {
      self.userId = userId
      self.email = email
      self.organizationId = organizationId
      self.roles = roles
      self.kind = kind
      self.expiresAt = expiresAt
    }
    enum CodingKeys: Int, CodingKey {
      case userId = 1, email = 2, organizationId = 3, roles = 4, kind = 5, expiresAt = 6
    }
  }

  public struct PasswordResetRequest: Codable, Sendable, Equatable {
    public var email: String
    public init(email: String) { self.email = email }
    enum CodingKeys: Int, CodingKey { case email = 1 }
  }

  public struct ResetPasswordRequest: Codable, Sendable, Equatable {
    public var email: String
    public var code: String
    public var newPassword: String
    public init(email: String, code: String, newPassword: String) {
      self.email = email
      self.code = code
      self.newPassword = newPassword
    }
    enum CodingKeys: Int, CodingKey { case email = 1, code = 2, newPassword = 3 }
  }

  public struct DeleteAccountRequest: Codable, Sendable, Equatable {
    public var currentPassword: String
    public init(currentPassword: String) { self.currentPassword = currentPassword }
    enum CodingKeys: Int, CodingKey { case currentPassword = 1 }
  }
}
