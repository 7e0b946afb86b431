import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import RPC
import Testing

@Suite struct HealthServiceTests {
  @Test func checkReportsTheServerAndEachService() async throws {
    let health = HealthService(services: ["Health", "Reflection"])
    try await withTestServer(services: [health]) { socket throws in
      try await withProfileClient(socketPath: socket) { client throws in
        #expect(try await client.health.check() == .serving)
        #expect(try await client.health.check(service: "Reflection") == .serving)
        health.setStatus(.notServing, for: "Reflection")
        #expect(try await client.health.check(service: "Reflection") == .notServing)
        #expect(try await client.health.check() == .serving)
        let error = await #expect(throws: RPCError.self) { try await client.health.check(service: "Nope") }
        #expect(error?.code == .notFound)
      }
    }
  }

  @Test func watchStreamsTheCurrentStatusThenEveryChange() async throws {
    let health = HealthService(services: ["Health"])
    try await withTestServer(services: [health]) { socket throws in
      try await withProfileClient(socketPath: socket) { client throws in
        var iterator = client.health.watch(service: "Health").makeAsyncIterator()
        #expect(try await iterator.next()?.status == .serving)
        health.setStatus(.notServing, for: "Health")
        #expect(try await iterator.next()?.status == .notServing)
        health.setStatus(.serving)
        #expect(try await iterator.next()?.status == .serving)
      }
    }
  }
}

/// Runs `body` with a real server on a fresh socket serving `services`.
func withTestServer<R: Sendable>(
  services: [any RPCService], _ body: (String) async throws -> R
) async throws -> R {
  let path = "/tmp/pst-\(UUID().uuidString.prefix(12)).sock"
  var configuration = ServerConfiguration(socketPath: path)
  configuration.shutdownGracePeriod = .milliseconds(500)
  return try await withRPCServer(configuration: configuration, services: services) { _ in
    try await body(path)
  }
}

@Suite struct HealthDrainTests {
  @Test func drainingEndsWatchStreamsAfterReportingNotServing() async throws {
    let health = HealthService(services: ["Health"])
    try await withTestServer(services: [health]) { socket throws in
      try await withProfileClient(socketPath: socket) { client throws in
        var statuses: [Health.ServingStatus] = []
        var drained = false
        for try await response in client.health.watch() {
          statuses.append(response.status)
          if !drained {
            drained = true
            health.drain()
          }
        }
        #expect(statuses == [.serving, .notServing])
        // A watch that starts while draining reports the status and ends at once.
        var late: [Health.ServingStatus] = []
        for try await response in client.health.watch() { late.append(response.status) }
        #expect(late == [.notServing])
      }
    }
  }
}
