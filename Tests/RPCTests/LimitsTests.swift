import RPC
import Testing
import WireFormat

@Suite struct LimitsTests {
  @Test func callsBeyondTheConcurrencyLimitAreResourceExhausted() async throws {
    try await withEchoServer(configure: { $0.maxConcurrentCallsPerConnection = 4 }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let codes = try await withThrowingTaskGroup(of: StatusCode.self) { group in
          for _ in 0..<10 {
            group.addTask {
              do {
                _ = try await client.unary(EchoService.get, EchoRequest(text: "x", delayMilliseconds: 300))
                return .ok
              } catch let error as RPCError {
                return error.code
              }
            }
          }
          var codes: [StatusCode] = []
          for try await code in group { codes.append(code) }
          return codes
        }
        #expect(codes.filter { $0 == .ok }.count == 4)
        #expect(codes.filter { $0 == .resourceExhausted }.count == 6)
      }
    }
  }

  @Test func connectionsBeyondTheLimitAreToldWhy() async throws {
    try await withEchoServer(configure: { $0.maxConnections = 2 }) { server throws in
      let first = try RawConnection(path: server.socketPath)
      let second = try RawConnection(path: server.socketPath)
      try first.hello()
      try second.hello()
      _ = try first.nextFrame()
      _ = try second.nextFrame()
      let third = try RawConnection(path: server.socketPath)
      let frames = try third.framesUntilClose()
      let goAway = try BinaryDecoder().decode(GoAway.self, from: try #require(frames.first).payload)
      #expect(goAway.code == .resourceExhausted)
      #expect(goAway.message.contains("2 connections"))
    }
  }

  @Test func tooLargeRequestIsRefusedOnTheClientWithoutSending() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let big = String(repeating: "x", count: Frame.defaultMaxPayloadSize + 1)
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.get, EchoRequest(text: big))
        }
        #expect(error?.code == .resourceExhausted)
        #expect(try await client.unary(EchoService.get, EchoRequest(text: "small")).text == "small")
      }
    }
  }

  @Test func oversizedMetadataIsInvalidArgument() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        var metadata = Metadata()
        for index in 0...Metadata.maxEntries { metadata["k\(index)"] = "v" }
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.get, EchoRequest(text: "x"), options: CallOptions(metadata: metadata))
        }
        #expect(error?.code == .invalidArgument)
      }
    }
  }
}
