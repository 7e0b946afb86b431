internal import Foundation
internal import Testing

@Suite("profilectl socket, token and metadata")
struct ConnectionTests {
  @Test("with no server on the socket: UNAVAILABLE, exit 14, naming the socket")
  func noServer() async throws {
    let socket = "/tmp/pctl-missing-\(UInt32.random(in: 0...UInt32.max))/s.sock"
    let result = try await ProfilectlProcess.run(["--socket", socket, "health"])
    #expect(result.status == 14, "\(result)")
    #expect(result.stderr.hasPrefix("UNAVAILABLE: "), "\(result)")
    #expect(result.stderr.contains(socket), "\(result)")
    #expect(result.stderr.contains("from --socket"), "\(result)")
  }

  @Test("$PROFILED_SOCKET chooses the socket; --socket overrides it")
  func socketVariable() async throws {
    try await TestServer.with { server in
      let variable = try await ProfilectlProcess.run(
        ["health"], environment: ["PROFILED_SOCKET": server.socketPath])
      #expect(variable.status == 0, "\(variable)")
      #expect(variable.stdout == "serving\n", "\(variable)")
      let flag = try await ProfilectlProcess.run(
        ["--socket", server.socketPath, "health"],
        environment: ["PROFILED_SOCKET": "/tmp/pctl-nowhere/s.sock"])
      #expect(flag.status == 0, "\(flag)")
      let wrong = try await ProfilectlProcess.run(
        ["health"], environment: ["PROFILED_SOCKET": "/tmp/pctl-nowhere/s.sock"])
      #expect(wrong.status == 14, "\(wrong)")
      #expect(wrong.stderr.contains("from $PROFILED_SOCKET"), "\(wrong)")
    }
  }

  @Test("with no flag or variable, profiled's default socket is used, as profiled does")
  func defaultSocket() async throws {
    try await TestServer.with(socketName: "profiled.sock") { server in
      let result = try await ProfilectlProcess.run(
        ["health"], environment: ["XDG_RUNTIME_DIR": server.directory])
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout == "serving\n", "\(result)")
    }
  }

  @Test("-H metadata reaches the server: it logs the request id sent")
  func headers() async throws {
    try await TestServer.with { server in
      let requestID = "pctl-\(UInt32.random(in: 0...UInt32.max))"
      let result = try await server.profilectl(
        "--token", "secret-token", "-H", "request-id=\(requestID)", "-H", "x-trace=1", "call",
        "Health.Check", "{}")
      #expect(result.status == 0, "\(result)")
      let line = await server.logLine(containing: ["request_id=\(requestID)", "method=Health/Check"])
      #expect(line != nil, "no call line for \(requestID) in the server log:\n\(server.log)")
      #expect(line?.contains("status=OK") == true, "\(line ?? "")")
    }
  }

  @Test("$PROFILED_TOKEN and --token are accepted by a server that does not check them")
  func token() async throws {
    try await TestServer.with { server in
      let variable = try await ProfilectlProcess.run(
        ["--socket", server.socketPath, "health"], environment: ["PROFILED_TOKEN": "from-env"])
      #expect(variable.status == 0, "\(variable)")
      let flag = try await server.profilectl("--token=from-flag", "health")
      #expect(flag.status == 0, "\(flag)")
    }
  }
}
