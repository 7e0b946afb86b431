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
}
