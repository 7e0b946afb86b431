public import Foundation

/// One row of `api_tokens`: a personal API token, found by the SHA-256 hash of its secret.
public struct APITokenRecord: Sendable, Equatable {
  public var id: String
  public var userID: String
  public var name: String
  /// SHA-256 of the secret; the secret itself is never stored.
  public var tokenHash: [UInt8]
  /// The secret's first characters, shown in lists so the owner can tell tokens apart.
  public var prefix: String
  /// The lifetime the token was last issued with, reused when it is regenerated.
  public var lifetimeDays: Int
  public var createdAt: Date
  public var expiresAt: Date
  public var lastUsedAt: Date?

  public init(
    id: String, userID: String, name: String, tokenHash: [UInt8], prefix: String, lifetimeDays: Int,
    createdAt: Date, expiresAt: Date, lastUsedAt: Date?
  ) {
    self.id = id
    self.userID = userID
    self.name = name
    self.tokenHash = tokenHash
    self.prefix = prefix
    self.lifetimeDays = lifetimeDays
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.lastUsedAt = lastUsedAt
  }
}
