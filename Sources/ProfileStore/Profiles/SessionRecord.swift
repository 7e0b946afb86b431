public import Foundation

/// One row of `sessions`: a signed-in session, found by the SHA-256 hash of its bearer token.
public struct SessionRecord: Sendable, Equatable {
  public var id: String
  public var userID: String
  /// SHA-256 of the bearer token; the token itself is never stored.
  public var tokenHash: [UInt8]
  /// The organization the session acts in.
  public var organizationID: String
  public var createdAt: Date
  public var expiresAt: Date
  public var lastUsedAt: Date?

  public init(id: String, userID: String, tokenHash: [UInt8], organizationID: String, createdAt: Date, expiresAt: Date, lastUsedAt: Date?) {
    self.id = id
    self.userID = userID
    self.tokenHash = tokenHash
    self.organizationID = organizationID
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.lastUsedAt = lastUsedAt
  }
}
