import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import RPC
import Testing

@Suite struct DiagnosticsServiceTests {
  @Test func echoAnswersWithTheRequestedSize() async throws {
    try await ProfileTestServer.with { _, client throws in
      let seed = Data("0123456789".utf8)
      let same = try await client.rpc.unary(Diagnostics.echo, Diagnostics.EchoRequest(payload: seed))
      #expect(same.payload == seed)
      let grown = try await client.rpc.unary(Diagnostics.echo, Diagnostics.EchoRequest(payload: seed, responseSize: 25))
      #expect(grown.payload == Data("0123456789012345678901234".utf8))
      let shrunk = try await client.rpc.unary(Diagnostics.echo, Diagnostics.EchoRequest(payload: seed, responseSize: 4))
      #expect(shrunk.payload == Data("0123".utf8))
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Diagnostics.echo, Diagnostics.EchoRequest(payload: seed, responseSize: Diagnostics.maxPayloadSize + 1))
      }
      #expect(error?.details.fieldViolations?.map(\.field) == ["responseSize"])
    }
  }

  @Test func generateStreamsExactlyTheRequestedMessages() async throws {
    try await ProfileTestServer.with { _, client throws in
      var count = 0
      for try await message in client.rpc.serverStreaming(Diagnostics.generate, Diagnostics.GenerateRequest(count: 1000, size: 32)) {
        #expect(message.payload.count == 32)
        count += 1
      }
      #expect(count == 1000)
      let error = await #expect(throws: RPCError.self) {
        for try await _ in client.rpc.serverStreaming(Diagnostics.generate, Diagnostics.GenerateRequest(count: 0, size: 1)) {}
      }
      #expect(error?.code == .invalidArgument)
    }
  }

  @Test func diagnosticsAreForTrustedCallersOnly() async throws {
    try await ProfileTestServer.with(configureServer: { $0.trustedUIDs = [getuid() &+ 7] }) { _, client throws in
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Diagnostics.echo, Diagnostics.EchoRequest(payload: Data()))
      }
      #expect(error?.code == .permissionDenied)
    }
  }
}
