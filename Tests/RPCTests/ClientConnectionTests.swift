import Foundation
import RPC
import Testing
import WireFormat

@Suite struct ClientConnectionTests {
  /// One `Echo/Get` call on `connection`, decoded.
  static func echo(_ text: String, delayMilliseconds: Int? = nil, on connection: ClientConnection)
    async throws -> EchoResponse
  {
    let request = EchoRequest(text: text, delayMilliseconds: delayMilliseconds)
    let bytes = try await connection.unary(method: EchoService.get.fullName, options: CallOptions()) {
      try BinaryEncoder().encode(request, appendingTo: &$0)
    }
    return try BinaryDecoder().decode(EchoResponse.self, from: bytes)
  }

  @Test func aConnectionWhoseCallIDsRunOutClosesAfterItsLastCall() async throws {
    try await withEchoServer { server in
      let loop = try EventLoop(name: "rpc-test-client")
      defer { loop.shutdown() }
      let connection = try ClientConnection(
        socketPath: server.configuration.socketPath, loop: loop,
        maxFrameSize: Frame.defaultMaxPayloadSize, firstCallID: ClientConnection.lastCallID - 1)
      #expect(try await Self.echo("first", on: connection).text == "first")
      #expect(connection.acceptsCalls)

      // The last id: its call runs to the end, and nothing new starts after it.
      async let last = Self.echo("last", delayMilliseconds: 300, on: connection)
      try await waitUntil { !connection.acceptsCalls }
      let refused = await #expect(throws: RPCError.self) { try await Self.echo("more", on: connection) }
      #expect(refused?.code == .unavailable)
      #expect(!connection.channel.isClosed)
      #expect(server.connectionCount == 1)

      #expect(try await last.text == "last")
      try await waitUntil { connection.channel.isClosed }
      try await waitUntil { server.connectionCount == 0 }
    }
  }
}
