import CryptoPrimitives
import Foundation
import ProfileStore
import RPC

/// A call's `idempotency-key` metadata and the rules every mutation that honours one shares:
/// 1 to ``maximumLength`` characters; kept ``window`` per owner (a user, or a trusted caller's
/// uid) and method; a retry with the same key returns the first result, and the same key with a
/// different request is refused.
struct IdempotencyKey: Sendable {
  /// How long a key keeps returning its first result.
  static let window: TimeInterval = 24 * 3600
  /// The longest key, in characters.
  static let maximumLength = 255

  /// The key the call sent, if any.
  let value: String?
  /// The method it is scoped to, such as `Tokens.CreateToken`.
  let method: String

  init(_ context: ServerContext, method: String) {
    value = context.metadata[Metadata.idempotencyKey]
    self.method = method
  }

  /// The digest of a request's fields (joined with NULs by the caller) that tells a retry from
  /// another request under the same key; empty, and not computed, for a call without a key.
  func requestHash(_ fields: String) -> [UInt8] {
    value == nil ? [] : SHA256.hash(Array(fields.utf8))
  }

  /// Adds a violation on `idempotency-key` when the key is empty or too long.
  func validate(into validator: inout FieldValidator) {
    validator.optionalText(Metadata.idempotencyKey, value, length: 1...Self.maximumLength)
  }

  /// In the caller's write: forgets keys older than the window, then finds this key's first
  /// result for `owner`; nil when there is no key or it is new. A call without a key touches no
  /// table (keys are only added, and so only pruned, by calls that carry one).
  ///
  /// - Throws: `FAILED_PRECONDITION` (`IDEMPOTENCY_KEY_REUSED`) when the key was first used with
  ///   another request; `differences` says what may differ ("another name or lifetime").
  func earlier(
    owner: IdempotencyOwner, requestHash: [UInt8], differences: String, now: Date, in db: Database
  ) throws -> IdempotencyRecord? {
    guard let value else { return nil }
    try db.pruneIdempotencyKeys(before: now.addingTimeInterval(-Self.window))
    guard let earlier = try db.idempotencyKey(owner: owner, method: method, key: value) else { return nil }
    guard earlier.requestHash == requestHash else {
      throw RPCError(
        .failedPrecondition, "this idempotency-key was used with a different request; use a new key",
        details: ErrorDetails(preconditionViolations: [
          .init(
            type: "IDEMPOTENCY_KEY_REUSED", subject: Metadata.idempotencyKey,
            description: "the key was first used with \(differences)")
        ]))
    }
    return earlier
  }

  /// In the caller's write: remembers the first result under this key, when there is one.
  func record(
    owner: IdempotencyOwner, requestHash: [UInt8], resultID: String, result: [UInt8], now: Date, in db: Database
  ) throws {
    guard let value else { return }
    try db.insertIdempotencyKey(
      IdempotencyRecord(
        owner: owner, method: method, key: value, requestHash: requestHash, resultID: resultID, result: result,
        createdAt: now))
  }
}
