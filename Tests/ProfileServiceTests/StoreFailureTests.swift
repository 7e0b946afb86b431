import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
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
}
