internal import Testing

@Suite("profilectl health")
struct HealthCommandTests {
  @Test("health prints serving for the server and for a service")
  func serving() async throws {
    try await TestServer.with { server in
      let whole = try await server.profilectl("health")
      #expect(whole.status == 0, "\(whole)")
      #expect(whole.stdout == "serving\n", "\(whole)")
      let service = try await server.profilectl("health", "Reflection")
      #expect(service.status == 0, "\(service)")
      #expect(service.stdout == "serving\n", "\(service)")
    }
  }

  @Test("an unknown service is NOT_FOUND, exit 5")
  func unknownService() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("health", "Nope")
      #expect(result.status == 5, "\(result)")
      #expect(result.stderr.hasPrefix("NOT_FOUND: "), "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
    }
  }

  @Test("health --watch prints the status and ends with DEADLINE_EXCEEDED at --timeout")
  func watchUntilTimeout() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("health", "--watch", "--timeout", "300ms")
      #expect(result.status == 4, "\(result)")
      #expect(result.stdout == "serving\n", "\(result)")
      #expect(result.stderr.hasPrefix("DEADLINE_EXCEEDED: "), "\(result)")
    }
  }

  @Test("health --watch prints each change and ends cleanly with notServing when the server drains")
  func watchSeesShutdown() async throws {
    // A grace period far longer than the drain needs: when it runs out, profiled cancels the
    // watch, which may then end before it has sent notServing (seen on a loaded 2-core run).
    try await TestServer.with(arguments: ["--shutdown-grace", "60"]) { server in
      let watch = try ProfilectlProcess.start(["--socket", server.socketPath, "health", "-w"])
      let serving = await watch.wait(upTo: .seconds(60)) { watch.stdout == "serving\n" }
      #expect(serving, "no first status: \(watch.stdout) \(watch.stderr)")
      await server.stop()
      let result = try await watch.result(timeout: .seconds(60))
      // The draining server ends watch streams with OK after reporting notServing.
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout == "serving\nnotServing\n", "\(result)")
    }
  }
}
