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

  @Test("--token, $PROFILED_TOKEN and -H authorization= authenticate; without them UNAUTHENTICATED")
  func token() async throws {
    try await TestServer.with { server in
      let token = try await Self.signIn(server, email: "ada@example.com")
      let flag = try await server.profilectl("--token", token, "call", "Profile.GetProfile", "{}")
      #expect(flag.status == 0, "\(flag)")
      #expect(flag.stdout.contains("\"email\": \"ada@example.com\""), "\(flag)")
      let variable = try await ProfilectlProcess.run(
        ["--socket", server.socketPath, "call", "Profile.GetProfile", "{}"],
        environment: ["PROFILED_TOKEN": token])
      #expect(variable.status == 0, "\(variable)")
      let header = try await server.profilectl(
        "-H", "authorization=Bearer \(token)", "call", "Profile.GetProfile", "{}")
      #expect(header.status == 0, "\(header)")
      let none = try await server.profilectl("call", "Profile.GetProfile", "{}")
      #expect(none.status == 16, "\(none)")
      #expect(none.stderr.hasPrefix("UNAUTHENTICATED: "), "\(none)")
      let flagBeatsVariable = try await ProfilectlProcess.run(
        ["--socket", server.socketPath, "--token", "pss_wrong", "call", "Profile.GetProfile", "{}"],
        environment: ["PROFILED_TOKEN": token])
      #expect(flagBeatsVariable.status == 16, "\(flagBeatsVariable)")
    }
  }

  /// Signs a new account up and in through profilectl; returns the session token.
  static func signIn(_ server: TestServer, email: String) async throws -> String {
    let password = "correct horse battery staple"
    let signUp = try await server.profilectl(
      "call", "Accounts.SignUp",
      #"{"email":"\#(email)","password":"\#(password)","firstName":"Ada","lastName":"Lovelace"}"#)
    try #require(signUp.status == 0, "\(signUp)")
    let signIn = try await server.profilectl(
      "call", "Accounts.SignIn", #"{"email":"\#(email)","password":"\#(password)"}"#)
    try #require(signIn.status == 0, "\(signIn)")
    let object = try JSONSerialization.jsonObject(with: Data(signIn.stdout.utf8)) as? [String: Any]
    return try #require(object?["token"] as? String, "\(signIn)")
  }
}
