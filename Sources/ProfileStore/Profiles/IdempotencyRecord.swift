public import Foundation

/// One row of `idempotency_keys`: the first result of a mutation made with an
/// `idempotency-key`, so a retry with the same key returns it instead of acting again.
public struct IdempotencyRecord: Sendable, Equatable {
  public var userID: String
  /// The method the key was used with, such as `Tokens.CreateToken`.
  public var method: String
  public var key: String
  /// A digest of the request, so a different request under the same key is recognised.
  public var requestHash: [UInt8]
  /// The id of what the first call created.
  public var resultID: String
  /// The first result's secret part, sealed with the secrets key.
  public var result: [UInt8]
  public var createdAt: Date

  public init(
    userID: String, method: String, key: String, requestHash: [UInt8], resultID: String, result: [UInt8],
    createdAt: Date
  ) {
    self.userID = userID
    self.method = method
    self.key = key
    self.requestHash = requestHash
    self.resultID = resultID
    self.result = result
    self.createdAt = createdAt
  }
}
