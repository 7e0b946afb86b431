import Glibc
import RPC
import Synchronization
import Testing
import WireFormat

/// Handlers registered with `RPCRouter.unary(_:immediately:)` and
/// `unary(_:immediately:otherwise:)`: they run on the loop thread without a task, unless an
/// interceptor or a full outbound buffer sends them to one.
@Suite struct ImmediateHandlerTests {
  @Test func runsOnTheLoopThreadWithoutATask() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let response = try await client.unary(
          EchoService.now, EchoRequest(text: "hi"), options: CallOptions(metadata: ["x-trace": "7"]))
        #expect(response.text == "hi")
        #expect(response.ranInTask == false)
        #expect(response.metadata?["x-trace"] == "7")
        #expect(response.peerUID == getuid())
      }
    }
  }

  @Test func errorsEndOnlyTheirCall() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let chosen = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.now, EchoRequest(text: "x", failWithCode: StatusCode.failedPrecondition.rawValue))
        }
        #expect(chosen?.code == .failedPrecondition)
        #expect(chosen?.message == "asked to fail")
        #expect(chosen?.metadata["reason"] == "test")

        let unexpected = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.now, EchoRequest(text: "x", failUnexpectedly: "disk gone"))
        }
        #expect(unexpected?.code == .unknown)
        #expect(unexpected?.message.contains("request id") == true)

        #expect(try await client.unary(EchoService.now, EchoRequest(text: "after")).text == "after")
      }
    }
  }

  @Test func aResponseTooLargeForAFrameEndsTheCallWithAnError() async throws {
    try await withEchoServer(configure: { $0.maxFrameSize = 64 << 10 }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.now, EchoRequest(text: String(repeating: "y", count: 1_024), count: 100))
        }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("frame limit") == true)
        #expect(try await client.unary(EchoService.now, EchoRequest(text: "small")).text == "small")
      }
    }
  }

  @Test func withInterceptorsItRunsInATaskAfterThem() async throws {
    let interceptor = RequireToken()
    try await withEchoServer(interceptors: [interceptor]) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let refused = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.now, EchoRequest(text: "x"))
        }
        #expect(refused?.code == .unauthenticated)
        let response = try await client.unary(
          EchoService.now, EchoRequest(text: "y"), options: CallOptions(metadata: ["authorization": "Bearer sesame"]))
        #expect(response.text == "y")
        #expect(response.ranInTask == true)
      }
    }
    #expect(interceptor.seen.withLock { $0 } == ["Echo/Now", "Echo/Now"])
  }

  @Test func theSynchronousPartAnswersWhatItCanAndHandsTheRestToTheHandler() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let hit = try await client.unary(EchoService.cached, EchoRequest(text: "hit 1"))
        #expect(hit.text == "hit 1")
        #expect(hit.ranInTask == false)
        let miss = try await client.unary(EchoService.cached, EchoRequest(text: "miss 2"))
        #expect(miss.text == "miss 2 (async)")
        #expect(miss.ranInTask == true)
      }
    }
  }

  @Test func callsOnTheLoopAndInTasksInterleaveOnOneConnection() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        try await withThrowingTaskGroup(of: Void.self) { group in
          for index in 0..<600 {
            group.addTask {
              let text = "call \(index)"
              let response: EchoResponse
              switch index % 3 {
              case 0: response = try await client.unary(EchoService.now, EchoRequest(text: text))
              case 1: response = try await client.unary(EchoService.get, EchoRequest(text: text))
              default: response = try await client.unary(EchoService.cached, EchoRequest(text: "hit " + text))
              }
              let expected = index % 3 == 2 ? "hit " + text : text
              guard response.text == expected else {
                throw RPCError(.internal, "call \(index) got '\(response.text)'")
              }
            }
          }
          try await group.waitForAll()
        }
      }
    }
  }

  /// Twelve calls whose answers are 1 MiB each, sent in one write and not read for a while: the
  /// first answers fill the outbound buffer past its mark, the later calls go to tasks that wait
  /// for room, and every call is answered in full once the client reads.
  @Test func aFullOutboundBufferSendsTheRestToTasks() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      var burst: [UInt8] = []
      let encoder = BinaryEncoder()
      let calls = 1...12
      for id in calls {
        let start = CallStart(method: "Echo/Now", metadata: [:], timeoutMicroseconds: nil)
        burst += Frame(type: .callStart, callID: UInt32(id), payload: try encoder.encode(start)).bytes
        let request = EchoRequest(text: String(repeating: "\(id % 10)", count: 1_024), count: 1_024)
        burst += Frame(type: .message, flags: FrameFlags.endStream, callID: UInt32(id), payload: try encoder.encode(request)).bytes
      }
      raw.write(burst)
      try await Task.sleep(for: .milliseconds(300))

      var responses: [UInt32: EchoResponse] = [:]
      var trailers: [UInt32: Trailer] = [:]
      while trailers.count < calls.count, let frame = try await raw.nextFrame() {
        switch frame.type {
        case .message: responses[frame.callID] = try BinaryDecoder().decode(EchoResponse.self, from: frame.payload)
        case .trailer: trailers[frame.callID] = try BinaryDecoder().decode(Trailer.self, from: frame.payload)
        default: break
        }
      }
      #expect(trailers.count == calls.count)
      #expect(trailers.values.allSatisfy { $0.code == .ok })
      for id in calls {
        #expect(responses[UInt32(id)]?.text == String(repeating: "\(id % 10)", count: 1_024 * 1_024))
      }
      #expect(responses[1]?.ranInTask == false)
      #expect(responses.values.contains { $0.ranInTask == true })
    }
  }
}
