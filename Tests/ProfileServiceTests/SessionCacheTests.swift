import Foundation
import ProfileService
import Testing

@Suite struct SessionCacheTests {
  static let hash = [UInt8](repeating: 7, count: 32)

  static func entry(session: String = "ses_1", user: String = "usr_1") -> SessionCache.Entry {
    SessionCache.Entry(
      sessionID: session, userID: user, organizationID: "org_1", email: "ada@example.com", role: "owner",
      expiresAt: Date().addingTimeInterval(3600))
  }

  @Test func anEntryReadBeforeAnEvictionIsNotStoredAfterIt() {
    let cache = SessionCache()
    // A cache miss takes the generation, then reads the session from the database...
    let generation = cache.generation
    // ...while a revocation commits and evicts (here of another session: any eviction counts)...
    cache.evict(sessionID: "ses_2")
    // ...so what the read found may be stale, and is not cached.
    cache.store(Self.hash, entry: Self.entry(), now: Date(), ifGeneration: generation)
    #expect(cache.lookup(Self.hash, now: Date()) == nil)

    cache.store(Self.hash, entry: Self.entry(), now: Date(), ifGeneration: cache.generation)
    #expect(cache.lookup(Self.hash, now: Date())?.sessionID == "ses_1")
  }

  @Test func everyKindOfEvictionMovesTheGeneration() {
    let cache = SessionCache()
    var seen: Set<UInt64> = [cache.generation]
    cache.evict(sessionID: "ses_1")
    seen.insert(cache.generation)
    cache.evict(tokenID: "tok_1")
    seen.insert(cache.generation)
    cache.evict(userID: "usr_1")
    seen.insert(cache.generation)
    cache.evictAll()
    seen.insert(cache.generation)
    #expect(seen.count == 5)
  }

  @Test func anEntryIsFoundOnlyByTheHashItWasStoredUnder() {
    let cache = SessionCache()
    cache.store(Self.hash, entry: Self.entry(session: "ses_full"), now: Date(), ifGeneration: cache.generation)
    // Every byte of a 32-byte hash counts, the last word's as much as the first's.
    for position in [0, 7, 8, 31] {
      var other = Self.hash
      other[position] ^= 1
      #expect(cache.lookup(other, now: Date()) == nil, "byte \(position) changed")
    }
    #expect(cache.lookup(Self.hash, now: Date())?.sessionID == "ses_full")

    // Hashes of other lengths are keys too, and never match a 32-byte one.
    let short = [UInt8](repeating: 7, count: 16)
    #expect(cache.lookup(short, now: Date()) == nil)
    cache.store(short, entry: Self.entry(session: "ses_short"), now: Date(), ifGeneration: cache.generation)
    #expect(cache.lookup(short, now: Date())?.sessionID == "ses_short")
    #expect(cache.lookup(Self.hash, now: Date())?.sessionID == "ses_full")
    #expect(cache.lookup([UInt8](repeating: 7, count: 33), now: Date()) == nil)
  }
}
