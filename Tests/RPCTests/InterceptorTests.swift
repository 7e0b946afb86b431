import Glibc
import RPC
import Testing

@Suite struct InterceptorTests {
  @Test func trustedOnlyMethodsRefuseUntrustedUIDs() async throws {
    try await withEchoServer(configure: { $0.trustedUIDs = [getuid() &+ 4242] }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.secret, EchoRequest(text: "x"))
        }
        #expect(error?.code == .permissionDenied)
        #expect(error?.message.contains("uid \(getuid())") == true)
        #expect(try await client.unary(EchoService.get, EchoRequest(text: "open")).text == "open")
      }
    }
  }

  @Test func trustedOnlyMethodsServeTheServersOwnUIDByDefault() async throws {
    try await withEchoServer { server throws in
      let text = try await withRPCClient(socketPath: server.socketPath) { client throws in
        try await client.unary(EchoService.secret, EchoRequest(text: "x")).text
      }
      #expect(text == "x")
    }
  }

  @Test func customInterceptorCanRefuseACallWithItsOwnStatus() async throws {
    try await withEchoServer(interceptors: [RequireToken()]) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.get, EchoRequest(text: "x"))
        }
        #expect(error?.code == .unauthenticated)
        let ok = try await client.unary(
          EchoService.get, EchoRequest(text: "y"), options: CallOptions(metadata: ["authorization": "Bearer sesame"]))
        #expect(ok.text == "y")
      }
    }
  }
}
