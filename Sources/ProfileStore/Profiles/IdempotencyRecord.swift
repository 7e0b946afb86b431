public import Foundation

/// Whose key an `idempotency-key` is: keys of different owners never meet.
public enum IdempotencyOwner: Sendable, Hashable {
  /// A signed-in user's (`idempotency_keys`, deleted with the account).
  case user(String)
  /// A trusted caller's, by its uid, for methods that act for no user, such as
  /// `Credits.ConsumeCredits` (`caller_idempotency_keys`).
  case trustedCaller(uid: UInt32)
}

/// One row of `idempotency_keys` or `caller_idempotency_keys`: the first result of a mutation
/// made with an `idempotency-key`, so a retry with the same key returns it instead of acting again.
public struct IdempotencyRecord: Sendable, Equatable {
  public var owner: IdempotencyOwner
  /// The method the key was used with, such as `Tokens.CreateToken`.
  public var method: String
  public var key: String
  /// A digest of the request, so a different request under the same key is recognised.
  public var requestHash: [UInt8]
  /// The id of what the first call created.
  public var resultID: String
  /// What the first result needs besides `resultID`, as its method stores it (a sealed token
  /// secret, a balance).
  public var result: [UInt8]
  public var createdAt: Date

  public init(
    owner: IdempotencyOwner, method: String, key: String, requestHash: [UInt8], resultID: String, result: [UInt8],
    createdAt: Date
  ) {
    self.owner = owner
    self.method = method
    self.key = key
    self.requestHash = requestHash
    self.resultID = resultID
    self.result = result
    self.createdAt = createdAt
  }
}
