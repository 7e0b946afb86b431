public import Foundation
import Synchronization

/// Verified sessions and API tokens by token hash, so `VerifyToken` and every authenticated
/// call skip the database after the first look-up. Entries live at most ``timeToLive``;
/// revocations in this process remove them at once (``evict(sessionID:)``,
/// ``evict(tokenID:)``, ``evict(userID:)``).
///
/// It also gathers when each session and token was last used, for a batched write instead of
/// one write per call.
public final class SessionCache: Sendable {
  public struct Entry: Sendable {
    /// The session's id, or the API token's for ``kind`` `.apiToken`.
    public let sessionID: String
    public let userID: String
    public let organizationID: String
    public let email: String
    /// The user's role in the session's organization.
    public let role: String?
    public let expiresAt: Date
    public let kind: Caller.Kind
    /// True when an organization the user belongs to enforces MFA and the user has not enrolled.
    public let mfaEnrollmentRequired: Bool
    let cachedAt: ContinuousClock.Instant

    public init(
      sessionID: String, userID: String, organizationID: String, email: String, role: String?,
      expiresAt: Date, kind: Caller.Kind = .session, mfaEnrollmentRequired: Bool = false,
      cachedAt: ContinuousClock.Instant = .now
    ) {
      self.mfaEnrollmentRequired = mfaEnrollmentRequired
      self.sessionID = sessionID
      self.userID = userID
      self.organizationID = organizationID
      self.email = email
      self.role = role
      self.expiresAt = expiresAt
      self.kind = kind
      self.cachedAt = cachedAt
    }
  }

  /// A token hash as the key of ``State/entries``.
  ///
  /// A SHA-256 hash (every key the service makes) is held as four words, hashed and compared
  /// four words at a time: an `[UInt8]` key fed the hasher one byte per call, 33 calls per
  /// look-up, on every authenticated call. A hash of any other length keeps its bytes.
  struct Key: Hashable {
    private let digest: SIMD4<UInt64>
    private let bytesOfOtherLength: [UInt8]?

    init(_ hash: [UInt8]) {
      guard hash.count == 32 else {
        digest = .zero
        bytesOfOtherLength = hash
        return
      }
      digest = hash.withUnsafeBytes { raw in
        SIMD4(
          raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
          raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
          raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
          raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
      }
      bytesOfOtherLength = nil
    }
  }

  private struct State {
    var entries: [Key: Entry] = [:]
    var lastUsed: [String: Date] = [:]
    var tokenLastUsed: [String: Date] = [:]
    /// Evictions so far; see ``SessionCache/generation``.
    var generation: UInt64 = 0

    mutating func recordUse(_ entry: Entry, at now: Date) {
      switch entry.kind {
      case .session: lastUsed[entry.sessionID] = now
      case .apiToken: tokenLastUsed[entry.sessionID] = now
      }
    }
  }

  /// Forgets everything; for changes that touch many users (an organization's roles).
  public func evictAll() {
    state.withLock { state in
      state.entries.removeAll()
      state.generation &+= 1
    }
  }

  /// Moves with every eviction. Take it before reading what to ``store(_:entry:now:ifGeneration:)``:
  /// an eviction that comes between the read and the store (a revocation committed after the
  /// read began) then keeps the entry it would have removed out of the cache.
  public var generation: UInt64 {
    state.withLock { $0.generation }
  }

  public static let timeToLive: Duration = .seconds(30)
  public static let capacity = 100_000
  private let state = Mutex(State())

  public init() {}

  public func lookup(_ tokenHash: [UInt8], now: Date) -> Entry? {
    let key = Key(tokenHash)
    return state.withLock { state in
      guard let entry = state.entries[key] else { return nil }
      if entry.expiresAt <= now || ContinuousClock.now - entry.cachedAt > Self.timeToLive {
        state.entries[key] = nil
        return nil
      }
      state.recordUse(entry, at: now)
      return entry
    }
  }

  /// Caches `entry`, unless an eviction happened since `generation` was taken.
  public func store(_ tokenHash: [UInt8], entry: Entry, now: Date, ifGeneration generation: UInt64) {
    let key = Key(tokenHash)
    state.withLock { state in
      guard state.generation == generation else { return }
      if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
      state.entries[key] = entry
      state.recordUse(entry, at: now)
    }
  }

  public func evict(sessionID: String) {
    state.withLock { state in
      state.entries = state.entries.filter { $0.value.sessionID != sessionID }
      state.lastUsed[sessionID] = nil
      state.generation &+= 1
    }
  }

  /// Forgets every cached secret of an API token (regenerated or deleted). Its gathered use is
  /// kept: the token was used, and a deleted one is skipped when the use is written.
  public func evict(tokenID: String) {
    state.withLock { state in
      state.entries = state.entries.filter { $0.value.kind != .apiToken || $0.value.sessionID != tokenID }
      state.generation &+= 1
    }
  }

  public func evict(userID: String) {
    state.withLock { state in
      let gone = state.entries.filter { $0.value.userID == userID }
      for (hash, entry) in gone {
        state.entries[hash] = nil
        state.lastUsed[entry.sessionID] = nil
        state.tokenLastUsed[entry.sessionID] = nil
      }
      state.generation &+= 1
    }
  }

  /// Takes the sessions' last-used times gathered since the previous call.
  public func drainLastUsed() -> [String: Date] {
    state.withLock { state in
      defer { state.lastUsed.removeAll(keepingCapacity: true) }
      return state.lastUsed
    }
  }

  /// Takes the API tokens' last-used times gathered since the previous call.
  public func drainTokenLastUsed() -> [String: Date] {
    state.withLock { state in
      defer { state.tokenLastUsed.removeAll(keepingCapacity: true) }
      return state.tokenLastUsed
    }
  }

  /// Gives back drained times whose write failed, so the next flush writes them; a use
  /// gathered meanwhile is later and wins.
  public func restoreLastUsed(sessions: [String: Date], tokens: [String: Date]) {
    state.withLock { state in
      state.lastUsed.merge(sessions) { gathered, _ in gathered }
      state.tokenLastUsed.merge(tokens) { gathered, _ in gathered }
    }
  }
}
