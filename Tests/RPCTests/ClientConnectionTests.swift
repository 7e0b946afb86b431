import Foundation
import RPC
import Testing
import WireFormat

@Suite struct ClientConnectionTests {
  /// One `Echo/Get` (or `method`) call on `connection`, decoded.
  static func echo(
    _ text: String, method: MethodDescriptor<EchoRequest, EchoResponse> = EchoService.get,
    on connection: ClientConnection
  ) async throws -> EchoResponse {
    let request = EchoRequest(text: text)
    let bytes = try await connection.unary(method: method.fullName, options: CallOptions()) {
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

      // The last id: its call runs to the end, and nothing new starts after it. The server holds
      // it until the checks are done.
      let key = "last-\(UUID())"
      async let last = Self.echo(key, method: EchoService.hold, on: connection)
      try await waitUntil { !connection.acceptsCalls }
      let refused = await #expect(throws: RPCError.self) { try await Self.echo("more", on: connection) }
      #expect(refused?.code == .unavailable)
      #expect(!connection.channel.isClosed)
      #expect(server.connectionCount == 1)

      HeldCalls.release(key)
      #expect(try await last.text == key)
      try await waitUntil { connection.channel.isClosed }
      try await waitUntil { server.connectionCount == 0 }
    }
  }

  @Test func timeoutsBeyondWhatMicrosecondsCountAreSentAsTheLongest() async throws {
    #expect(ClientConnection.microseconds(.milliseconds(1500)) == 1_500_000)
    #expect(ClientConnection.microseconds(.nanoseconds(999)) == 0)
    #expect(ClientConnection.microseconds(.seconds(-5)) == 0)
    #expect(ClientConnection.microseconds(.seconds(Int64.max)) == Int64.max)
    #expect(ClientConnection.microseconds(.seconds(Int64.max / 1_000_000) + .seconds(1)) == Int64.max)
    #expect(ClientConnection.microseconds(.seconds(Int64.min)) == 0)
    // A caller may ask for "no practical limit" that way, and the server takes it.
    try await withEchoServer { server in
      let client = try RPCClient(socketPath: server.configuration.socketPath)
      defer { client.close() }
      let response = try await client.unary(
        EchoService.get, EchoRequest(text: "patient"), options: CallOptions(timeout: .seconds(Int64.max)))
      #expect(response.text == "patient")
    }
  }

  @Test func aStreamReadSlowerThanItArrivesIsCancelledPastItsBudget() async throws {
    try await withEchoServer { server in
      let loop = try EventLoop(name: "rpc-test-client")
      defer { loop.shutdown() }
      let connection = try ClientConnection(
        socketPath: server.configuration.socketPath, loop: loop, maxFrameSize: Frame.defaultMaxPayloadSize,
        maxUnreadResponseBytes: 10_000)
      // 1,000 responses of about 110 bytes, and nobody reads until they pass 10,000 bytes.
      let request = try BinaryEncoder().encode(EchoRequest(text: String(repeating: "x", count: 100), count: 1_000))
      let (_, responses) = connection.startStream(
        method: EchoService.expand.fullName, options: CallOptions(), request: request)
      try await waitUntil { responses.budget.exceeded }
      var read = 0
      var failure: RPCError?
      do {
        for try await _ in responses { read += 1 }
      } catch let error as RPCError {
        failure = error
      }
      #expect(failure?.code == .resourceExhausted)
      #expect(failure?.message.contains("10000 bytes of responses arrived unread") == true)
      #expect(read > 0 && read <= 10_000 / 100)
      // Only that call ended: the connection serves the next.
      #expect(try await Self.echo("after", on: connection).text == "after")
    }
  }

  /// The call id of the next call-start frame `server` reads, or nil at end of stream.
  static func nextCallStart(on server: RawConnection) async throws -> UInt32? {
    while let frame = try await server.nextFrame() {
      if frame.type == .callStart { return frame.callID }
    }
    return nil
  }

  @Test func aConnectionTheServerDrainedClosesAfterItsLastCall() async throws {
    // A hand-written server, so it can drain without closing: only the client can end the socket.
    let path = temporarySocketPath()
    let listener = try UnixSocket.listen(path: path, mode: 0o600)
    defer {
      close(listener)
      unlink(path)
    }
    let loop = try EventLoop(name: "rpc-test-client")
    defer { loop.shutdown() }
    let connection = try ClientConnection(
      socketPath: path, loop: loop, maxFrameSize: Frame.defaultMaxPayloadSize)
    let server = RawConnection(accepted: try #require(try UnixSocket.accept(listener)))
    try server.send(.hello, message: Hello())

    // One call at a time, so the server knows which id is whose.
    async let first = Self.echo("first", on: connection)
    let kept = try #require(try await Self.nextCallStart(on: server))
    async let second = Self.echo("second", on: connection)
    let refused = try #require(try await Self.nextCallStart(on: server))
    #expect(refused > kept)

    // GOAWAY keeps the first call and fails the second; the connection stays open for the first.
    try server.send(.goAway, message: GoAway(lastCallID: kept, code: .ok, message: "draining"))
    do {
      let answer = try await second
      Issue.record("a call after the GOAWAY's last id was answered: \(answer)")
    } catch let error as RPCError {
      #expect(error.code == .unavailable)
    }
    #expect(!connection.acceptsCalls)
    #expect(await !server.peerCloses(within: 200))
    #expect(!connection.channel.isClosed)

    try server.send(.message, flags: FrameFlags.endStream, callID: kept, message: EchoResponse(text: "kept"))
    server.send(.trailer, callID: kept, Trailer.okPayload)
    #expect(try await first.text == "kept")

    // The kept call was the last: the client closes the socket itself.
    #expect(await server.peerCloses(within: 5_000))
    #expect(connection.channel.isClosed)
  }
}
