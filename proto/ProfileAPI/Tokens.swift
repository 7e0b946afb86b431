public import Foundation
public import RPC

/// Personal API tokens: bearer secrets that act for their owner like a session, in the owner's
/// personal organization.
public enum Tokens {
  /// Honours `idempotency-key` metadata: a retry with the same key returns the same token.
  public static let createToken = MethodDescriptor<CreateTokenRequest, IssuedToken>(
    service: "Tokens", method: "CreateToken", kind: .unary)
  public static let listTokens = MethodDescriptor<Empty, ListTokensResponse>(
    service: "Tokens", method: "ListTokens", kind: .unary)
  public static let regenerateToken = MethodDescriptor<RegenerateTokenRequest, IssuedToken>(
    service: "Tokens", method: "RegenerateToken", kind: .unary)
  public static let deleteToken = MethodDescriptor<DeleteTokenRequest, Empty>(
    service: "Tokens", method: "DeleteToken", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Tokens", methods: [createToken.info, listTokens.info, regenerateToken.info, deleteToken.info])

  public struct CreateTokenRequest: Codable, Sendable, Equatable {
    /// 1 to 100 characters, no control characters.
    public var name: String
    /// 1 to 365; 365 when absent.
    public var expiresInDays: Int?
    public init(name: String, expiresInDays: Int? = nil) {
      self.name = name
      self.expiresInDays = expiresInDays
    }
    enum CodingKeys: Int, CodingKey { case name = 1, expiresInDays = 2 }
  }

  /// A token's secret, shown this once: only its SHA-256 is stored.
  public struct IssuedToken: Codable, Sendable, Equatable {
    public var id: String
    /// The bearer secret, such as `pat_...`.
    public var token: String
    public var expiresAt: Date
    public var name: String
    /// The secret's first characters, as ``Token/prefix`` lists them.
    public var prefix: String
    public init(id: String, token: String, expiresAt: Date, name: String, prefix: String) {
      self.id = id
      self.token = token
      self.expiresAt = expiresAt
      self.name = name
      self.prefix = prefix
    }
    enum CodingKeys: Int, CodingKey { case id = 1, token = 2, expiresAt = 3, name = 4, prefix = 5 }
  }

  /// A token as listed: never its secret.
  public struct Token: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// The secret's first characters (`pat_` and 8 more), to recognise it by.
    public var prefix: String
    public var createdAt: Date
    public var expiresAt: Date
    public var lastUsedAt: Date?
    public init(id: String, name: String, prefix: String, createdAt: Date, expiresAt: Date, lastUsedAt: Date?) {
      self.id = id
      self.name = name
      self.prefix = prefix
      self.createdAt = createdAt
      self.expiresAt = expiresAt
      self.lastUsedAt = lastUsedAt
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, name = 2, prefix = 3, createdAt = 4, expiresAt = 5, lastUsedAt = 6
    }
  }

  public struct ListTokensResponse: Codable, Sendable, Equatable {
    /// Newest first, expired ones included.
    public var tokens: [Token]
    public init(tokens: [Token]) { self.tokens = tokens }
    enum CodingKeys: Int, CodingKey { case tokens = 1 }
  }

  public struct RegenerateTokenRequest: Codable, Sendable, Equatable {
    public var id: String
    /// 1 to 365; the token's previous lifetime when absent.
    public var expiresInDays: Int?
    public init(id: String, expiresInDays: Int? = nil) {
      self.id = id
      self.expiresInDays = expiresInDays
    }
    enum CodingKeys: Int, CodingKey { case id = 1, expiresInDays = 2 }
  }

  public struct DeleteTokenRequest: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: Int, CodingKey { case id = 1 }
  }
}
