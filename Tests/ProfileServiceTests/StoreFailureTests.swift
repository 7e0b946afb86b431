import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Synchronization
import Testing

/// What callers and operators see when the store can no longer make writes durable: a failed
/// `fdatasync` of the WAL (made to fail through the sync hook, since no disk fails on demand).
@Suite struct StoreFailureTests {
  @Test func aFailedSyncFailsTheWriteAndTurnsHealthNotServing() async throws {
    let failing = Atomic<Bool>(false)
    let reported = Mutex<[String]>([])
    try await ProfileTestServer.with(configure: { configuration in
      configuration.beforeStoreSync = {
        if failing.load(ordering: .relaxed) { throw CocoaError(.fileWriteUnknown) }
      }
      configuration.onStoreFailure = { message in reported.withLock { $0.append(message) } }
    }) { _, client throws in
      let user = try await TestUser.create(client)
      #expect(try await client.health.check() == .serving)

      failing.store(true, ordering: .relaxed)
      let write = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Augusta"), options: user.options)
      }
      // The write's outcome is unknown (it may survive a restart), so not a definite failure code.
      #expect(write?.code == .unknown)

      // From then on: every service and the server report NOT_SERVING, reads fail too, and the
      // failure was reported once.
      #expect(try await client.health.check() == .notServing)
      #expect(try await client.health.check(service: "Profile") == .notServing)
      failing.store(false, ordering: .relaxed)
      await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      }
      let messages = reported.withLock { $0 }
      #expect(messages.count == 1)
      #expect(messages.first?.contains("fdatasync") == true)
    }
  }

  /// A write that needs a page the database may not have (here a page limit set on the writer
  /// stands for a full disk: SQLite fails the same way) is RESOURCE_EXHAUSTED with a quota
  /// detail, changes nothing, names the request id, and leaves SQLite's error as the call's
  /// cause; once there is room again, writes work.
  @Test func aFullDiskIsResourceExhaustedAndChangesNothing() async throws {
    let observed = Mutex<[CallRecord]>([])
    try await ProfileTestServer.with(configureServer: { configuration in
      configuration.callObserver = { record in observed.withLock { $0.append(record) } }
    }) { server, client throws in
      let user = try await TestUser.create(client)
      let original = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      let database = server.services.environment.database
      try await database.write { db in
        let pages = try db.value(Int.self, sql: "PRAGMA page_count") ?? 0
        _ = try db.value(Int.self, sql: "PRAGMA max_page_count = \(pages)")
      }
      var refusal: (error: RPCError, requestID: String)?
      for index in 0..<500 where refusal == nil {
        let requestID = "full-\(index)"
        var options = user.options
        options.metadata["request-id"] = requestID
        do {
          _ = try await client.rpc.unary(
            Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Name \(index)"), options: options)
        } catch let error as RPCError {
          refusal = (error, requestID)
        }
      }
      let (error, requestID) = try #require(refusal, "500 audited writes fitted in the database's pages")
      #expect(error.code == .resourceExhausted)
      #expect(
        error.message == "the server's storage is full; nothing was changed; the server logged it with request id \(requestID)")
      #expect(error.details.quotaViolations?.map(\.subject) == ["storage"])
      let refused = Int(requestID.dropFirst("full-".count))!
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.firstName == (refused == 0 ? original.firstName : "Name \(refused - 1)"))

      try await database.write { db in _ = try db.value(Int.self, sql: "PRAGMA max_page_count = 1000000000") }
      let renamed = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Roomy"), options: user.options)
      #expect(renamed.firstName == "Roomy")
      #expect(try await client.health.check() == .serving)
      let record = try #require(observed.withLock { $0 }.first { $0.requestID == requestID })
      #expect(record.cause?.contains("database or disk is full") == true, "\(record.cause ?? "no cause")")
    }
  }

  /// Another program holding the database's write lock past the busy timeout makes a write
  /// UNAVAILABLE with a retry-after; once the lock is free, the same write succeeds.
  @Test func aLockHeldByAnotherProgramIsUnavailableWithRetryAfter() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let other = try ProfileDatabase(directory: server.dataDirectory)
      let holding = Atomic<Bool>(false)
      let release = Atomic<Bool>(false)
      let holder = Task {
        try await other.write { _ in
          holding.store(true, ordering: .relaxed)
          while !release.load(ordering: .relaxed) { usleep(5_000) }
        }
      }
      while !holding.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
      let busy = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Held"), options: user.options)
      }
      release.store(true, ordering: .relaxed)
      try await holder.value
      await other.close()
      #expect(busy?.code == .unavailable)
      #expect(busy?.details.retryAfterMilliseconds == 1_000)
      #expect(busy?.message.hasPrefix("the database is held by another program; nothing was changed, try again;") == true)
      let retried = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Held"), options: user.options)
      #expect(retried.firstName == "Held")
    }
  }
}
