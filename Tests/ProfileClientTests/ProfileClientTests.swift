import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import RPC
import Testing

@Suite struct ProfileClientTests {
  func makeServer(_ path: String) -> RPCServer {
    var configuration = ServerConfiguration(socketPath: path)
    configuration.shutdownGracePeriod = .milliseconds(200)
    return RPCServer(configuration: configuration, services: [HealthService(services: ["Health"])])
  }

  @Test func manyTasksShareOneClientAndItSurvivesARestart() async throws {
    let path = "/tmp/pct-\(UUID().uuidString.prefix(12)).sock"
    let first = makeServer(path)
    try first.start()
    try await withProfileClient(socketPath: path) { client throws in
      let statuses = try await withThrowingTaskGroup(of: Health.ServingStatus.self) { group in
        for _ in 0..<200 { group.addTask { try await client.health.check(service: "Health") } }
        return try await group.reduce(into: [Health.ServingStatus]()) { $0.append($1) }
      }
      #expect(statuses == Array(repeating: .serving, count: 200))
      await first.shutdown()
      let down = await #expect(throws: RPCError.self) { try await client.health.check() }
      #expect(down?.code == .unavailable)
      let second = makeServer(path)
      try second.start()
      #expect(try await client.health.check() == .serving)
      await second.shutdown()
    }
  }

  @Test func perCallTimeoutAndMetadataApply() async throws {
    let path = "/tmp/pct-\(UUID().uuidString.prefix(12)).sock"
    let server = makeServer(path)
    try server.start()
    let outcome = await Result(catching: { try await Self.watchUntilTimeout(path) })
    await server.shutdown()
    try outcome.get()
  }

  static func watchUntilTimeout(_ path: String) async throws {
    try await withProfileClient(socketPath: path) { client throws in
      // Watch never ends on its own: the timeout ends it with DEADLINE_EXCEEDED after the first
      // status. 3 s leaves the handler's task room to start while a parallel test run keeps the
      // cooperative pool busy.
      var received: [Health.ServingStatus] = []
      let error = await #expect(throws: RPCError.self) {
        for try await response in client.health.watch(options: CallOptions(timeout: .seconds(3))) {
          received.append(response.status)
        }
      }
      #expect(error?.code == .deadlineExceeded)
      #expect(received == [.serving])
    }
  }
}

extension Result where Failure == any Error {
  /// Captures the outcome of an async throwing body.
  init(catching body: () async throws -> Success) async {
    do {
      self = .success(try await body())
    } catch {
      self = .failure(error)
    }
  }
}
