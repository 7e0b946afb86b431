import RPC
import Testing
import WireFormat

@Suite struct ProtocolTests {
  @Test func helloIsAnsweredWithTheServerLimits() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      let frame = try #require(try await raw.nextFrame())
      #expect(frame.type == .hello)
      let hello = try BinaryDecoder().decode(Hello.self, from: frame.payload)
      #expect(hello.version == Hello.currentVersion)
      #expect(hello.maxFrameSize == UInt32(Frame.defaultMaxPayloadSize))
    }
  }

  @Test func garbageGetsAnErrorFrameThenClose() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      raw.write(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
      let frames = try await raw.framesUntilClose()
      let goAway = try #require(frames.first { $0.type == .goAway })
      let decoded = try BinaryDecoder().decode(GoAway.self, from: goAway.payload)
      #expect(decoded.code != .ok)
      #expect(!decoded.message.isEmpty)
    }
  }

  @Test func aFirstFrameOtherThanHelloIsRefused() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.send(.callStart, callID: 1, message: CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil))
      let frames = try await raw.framesUntilClose()
      let goAway = try BinaryDecoder().decode(GoAway.self, from: try #require(frames.last).payload)
      #expect(goAway.code == .internal)
      #expect(goAway.message.contains("HELLO"))
    }
  }

  @Test func wrongProtocolVersionIsRefusedClearly() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello(version: 99)
      let frames = try await raw.framesUntilClose()
      let goAway = try BinaryDecoder().decode(GoAway.self, from: try #require(frames.last).payload)
      #expect(goAway.code == .failedPrecondition)
      #expect(goAway.message.contains("99"))
    }
  }

  @Test func oversizedFrameIsRefusedBeforeItsPayloadArrives() async throws {
    try await withEchoServer(configure: { $0.maxFrameSize = 1024 }) { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      _ = try await raw.nextFrame()
      // Header of a 2 GiB message; no payload follows.
      raw.write([0x80, 0, 0, 0, FrameType.message.rawValue, 0, 0, 0, 0, 1])
      let frames = try await raw.framesUntilClose()
      let goAway = try BinaryDecoder().decode(GoAway.self, from: try #require(frames.last).payload)
      #expect(goAway.code == .resourceExhausted)
    }
  }

  @Test func frameSplitAcrossWritesAndCoalescedFramesAreServed() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      var bytes = Frame(type: .hello, callID: 0, payload: try BinaryEncoder().encode(Hello())).bytes
      for id in [1, 3] as [UInt32] {
        bytes += Frame(
          type: .callStart, callID: id,
          payload: try BinaryEncoder().encode(CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil))
        ).bytes
        bytes += Frame(
          type: .message, flags: FrameFlags.endStream, callID: id,
          payload: try BinaryEncoder().encode(EchoRequest(text: "id\(id)"))
        ).bytes
      }
      for byte in bytes { raw.write([byte]) }
      var texts: [UInt32: String] = [:]
      var trailers = 0
      while trailers < 2, let frame = try await raw.nextFrame() {
        if frame.type == .message {
          texts[frame.callID] = try BinaryDecoder().decode(EchoResponse.self, from: frame.payload).text
        }
        if frame.type == .trailer {
          trailers += 1
          #expect(try BinaryDecoder().decode(Trailer.self, from: frame.payload).code == .ok)
        }
      }
      #expect(texts == [1: "id1", 3: "id3"])
    }
  }

  @Test func callIDsMustIncrease() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      let start = CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil)
      try raw.send(.callStart, callID: 5, message: start)
      try raw.send(.callStart, callID: 5, message: start)
      let frames = try await raw.framesUntilClose()
      let goAway = try BinaryDecoder().decode(GoAway.self, from: try #require(frames.last { $0.type == .goAway }).payload)
      #expect(goAway.code == .internal)
    }
  }

  @Test func malformedRequestIsInvalidArgument() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      try raw.send(.callStart, callID: 1, message: CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil))
      raw.send(.message, flags: FrameFlags.endStream, callID: 1, [0xFF, 0xFF, 0xFF])
      var trailer: Trailer?
      while trailer == nil, let frame = try await raw.nextFrame() {
        if frame.type == .trailer { trailer = try BinaryDecoder().decode(Trailer.self, from: frame.payload) }
      }
      #expect(trailer?.code == .invalidArgument)
    }
  }

  @Test func anErrorTooLargeForAFrameStillEndsTheCall() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      // A method name that fits in a call start, quoted whole by "unknown method '...'", makes a
      // trailer over the frame limit: the call must end with the code and a cut message.
      let method = String(repeating: "m", count: Frame.defaultMaxPayloadSize - 10)
      try raw.send(.callStart, callID: 1, message: CallStart(method: method, metadata: [:], timeoutMicroseconds: nil))
      var trailer: Trailer?
      while trailer == nil, let frame = try await raw.nextFrame() {
        if frame.type == .trailer && frame.callID == 1 {
          trailer = try BinaryDecoder().decode(Trailer.self, from: frame.payload)
        }
      }
      #expect(trailer?.code == .unimplemented)
      #expect(trailer?.message.hasPrefix("unknown method 'mmm") == true)
      #expect(trailer?.message.hasSuffix("(cut: the trailer exceeded the frame size limit)") == true)
      #expect((trailer?.message.utf8.count ?? .max) < 2_048)
      // The connection goes on serving.
      try raw.send(.callStart, callID: 3, message: CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil))
      try raw.send(.message, flags: FrameFlags.endStream, callID: 3, message: EchoRequest(text: "after"))
      var answer: EchoResponse?
      while answer == nil, let frame = try await raw.nextFrame() {
        if frame.type == .message && frame.callID == 3 { answer = try BinaryDecoder().decode(EchoResponse.self, from: frame.payload) }
      }
      #expect(answer?.text == "after")
    }
  }

  @Test func aConnectionThatSendsNoHelloIsClosedAfterTheTimeout() async throws {
    try await withEchoServer(configure: { $0.helloTimeout = .milliseconds(200) }) { server throws in
      let silent = try RawConnection(path: server.socketPath)
      let greeted = try RawConnection(path: server.socketPath)
      try greeted.hello()
      #expect(try await greeted.nextFrame()?.type == .hello)

      let frames = try await silent.framesUntilClose()
      let goAway = try #require(frames.first { $0.type == .goAway })
      #expect(try BinaryDecoder().decode(GoAway.self, from: goAway.payload).code == .deadlineExceeded)
      try await waitUntil { server.connectionCount == 1 }

      // The connection that said HELLO in time outlives the timeout.
      try await Task.sleep(for: .milliseconds(300))
      greeted.send(.ping, [1, 2, 3])
      let pong = try #require(try await greeted.nextFrame())
      #expect(pong.type == .pong && pong.payload == [1, 2, 3])
    }
  }

  @Test func theHelloTimerEndsWithTheHelloAndDoesNotHoldClosedConnections() async throws {
    // A pending HELLO timer holds its connection (buffers and all): with a timeout of an hour,
    // connections that came and went would pile up for that hour.
    try await withEchoServer(configure: { $0.helloTimeout = .seconds(3_600) }) { server throws in
      let greeted = try RawConnection(path: server.socketPath)
      try greeted.hello()
      #expect(try await greeted.nextFrame()?.type == .hello)
      #expect(server.pendingTimers == 0, "the HELLO was handled, its timer must go")
      for _ in 0..<20 {
        let shortLived = try RawConnection(path: server.socketPath)
        try shortLived.hello()
        #expect(try await shortLived.nextFrame()?.type == .hello)
      }
      // Connections that close before their HELLO release their timers too.
      for _ in 0..<20 { _ = try RawConnection(path: server.socketPath) }
      try await waitUntil { server.connectionCount == 1 }
      #expect(server.pendingTimers == 0)
    }
  }

  @Test func pingIsAnsweredWithTheSamePayload() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      _ = try await raw.nextFrame()
      raw.send(.ping, [1, 2, 3, 4, 5, 6, 7, 8])
      let pong = try #require(try await raw.nextFrame())
      #expect(pong.type == .pong)
      #expect(pong.payload == [1, 2, 3, 4, 5, 6, 7, 8])
    }
  }
}
