import Foundation
import Glibc
import RPC
import Testing

@Suite struct ServerLifecycleTests {
  @Test func gracefulShutdownFinishesCallsInFlightThenRemovesTheSocket() async throws {
    let path = temporarySocketPath()
    var configuration = ServerConfiguration(socketPath: path)
    configuration.shutdownGracePeriod = .seconds(5)
    let started = StartedCalls()
    let server = RPCServer(configuration: configuration, services: [EchoService()], interceptors: [started])
    try server.start()
    let client = try RPCClient(socketPath: path)
    defer { client.close() }
    let inFlight = Task {
      try await client.unary(EchoService.get, EchoRequest(text: "finishing", delayMilliseconds: 500))
    }
    // In flight on the server, not merely started by the client (a loaded run once needed more
    // than the 100 ms this test used to wait, and the call then came after the GOAWAY).
    try await waitUntil { started.count == 1 }
    await server.shutdown()
    #expect(try await inFlight.value.text == "finishing")
    #expect(access(path, F_OK) != 0)
    let error = await #expect(throws: RPCError.self) {
      try await client.unary(EchoService.get, EchoRequest(text: "late"))
    }
    #expect(error?.code == .unavailable)
  }

  @Test func callsPastTheGracePeriodAreCancelled() async throws {
    let path = temporarySocketPath()
    let started = StartedCalls()
    let server = RPCServer(
      configuration: ServerConfiguration(socketPath: path), services: [EchoService()], interceptors: [started])
    try server.start()
    let client = try RPCClient(socketPath: path)
    defer { client.close() }
    let stuck = Task {
      try await client.unary(EchoService.get, EchoRequest(text: "stuck", delayMilliseconds: 60_000))
    }
    try await waitUntil { started.count == 1 }
    await server.shutdown(gracePeriod: .milliseconds(200))
    let error = await #expect(throws: RPCError.self) { try await stuck.value }
    #expect(error?.code == .unavailable)
  }

  @Test func staleSocketFileIsReplacedButALiveOneIsNotStolen() async throws {
    let path = temporarySocketPath()
    // A stale socket: bound, then its owner went away without removing it.
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
    }
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    close(fd)
    #expect(access(path, F_OK) == 0)

    var configuration = ServerConfiguration(socketPath: path)
    configuration.shutdownGracePeriod = .seconds(1)
    try await withRPCServer(configuration: configuration, services: [EchoService()]) { server throws in
      let up = try await withRPCClient(socketPath: path) { client throws in
        try await client.unary(EchoService.get, EchoRequest(text: "up")).text
      }
      #expect(up == "up")
      let second = RPCServer(configuration: configuration, services: [EchoService()])
      let error = #expect(throws: RPCError.self) { try second.start() }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.message.contains("another server") == true)
      // The first server still serves.
      let still = try await withRPCClient(socketPath: path) { client throws in
        try await client.unary(EchoService.get, EchoRequest(text: "still")).text
      }
      #expect(still == "still")
    }
  }

  @Test func aPathThatIsNotASocketIsNeverRemoved() throws {
    let path = "/tmp/rpct-\(UUID().uuidString.prefix(8)).txt"
    _ = FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
    defer { unlink(path) }
    let server = RPCServer(configuration: ServerConfiguration(socketPath: path), services: [])
    #expect(throws: RPCError.self) { try server.start() }
    #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
  }

  @Test func socketFileGetsTheConfiguredMode() async throws {
    try await withEchoServer(configure: { $0.socketMode = 0o600 }) { server throws in
      var status = stat()
      #expect(stat(server.socketPath, &status) == 0)
      #expect(status.st_mode & 0o777 == 0o600)
    }
  }

  @Test func clientReconnectsAfterTheServerRestarts() async throws {
    let path = temporarySocketPath()
    var configuration = ServerConfiguration(socketPath: path)
    configuration.shutdownGracePeriod = .milliseconds(200)
    try await withRPCClient(socketPath: path) { client throws in
      let first = RPCServer(configuration: configuration, services: [EchoService()])
      try first.start()
      #expect(try await client.unary(EchoService.get, EchoRequest(text: "one")).text == "one")
      await first.shutdown()
      let down = await #expect(throws: RPCError.self) {
        try await client.unary(EchoService.get, EchoRequest(text: "down"))
      }
      #expect(down?.code == .unavailable)
      let second = RPCServer(configuration: configuration, services: [EchoService()])
      try second.start()
      #expect(try await client.unary(EchoService.get, EchoRequest(text: "two")).text == "two")
      await second.shutdown()
    }
  }

  @Test func noServerIsUnavailableNamingThePath() async throws {
    let path = temporarySocketPath()
    try await withRPCClient(socketPath: path) { client throws in
      let error = await #expect(throws: RPCError.self) {
        try await client.unary(EchoService.get, EchoRequest(text: "x"))
      }
      #expect(error?.code == .unavailable)
      #expect(error?.message.contains(path) == true)
    }
  }
}
