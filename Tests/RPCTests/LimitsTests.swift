import Foundation
import Glibc
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
      _ = try await first.nextFrame()
      _ = try await second.nextFrame()
      let third = try RawConnection(path: server.socketPath)
      let frames = try await third.framesUntilClose()
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

@Suite struct BackpressureTests {
  /// A client that sends call after call but never reads the answers: the server stops reading
  /// once about 4 MiB of answers wait, so it handles only part of what was sent instead of
  /// buffering every answer.
  @Test func aClientThatNeverReadsCannotMakeTheServerBufferWithoutBound() async throws {
    let observed = ObservedCalls()
    try await withEchoServer(configure: { $0.callObserver = observed.record }) { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      // 150,000 call starts for an unknown method: about 6 MiB in, and about 9 MiB of
      // UNIMPLEMENTED trailers that nobody reads.
      let total = 150_000
      let payload = try BinaryEncoder().encode(CallStart(method: "Echo/Nope", metadata: [:], timeoutMicroseconds: nil))
      var bytes: [UInt8] = []
      bytes.reserveCapacity(total * (Frame.headerSize + payload.count))
      for id in 1...total { bytes += Frame(type: .callStart, callID: UInt32(id), payload: payload).bytes }
      let fd = raw.fd
      let request = bytes
      let writer = Thread {
        // Blocks once the server stops reading; ends with EPIPE when the test closes the socket.
        _ = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      }
      writer.start()
      // Wait until the server's progress stops (or it handled everything).
      var last = -1
      while true {
        try await Task.sleep(for: .milliseconds(500))
        let count = observed.all.count
        if count == last || count >= total { break }
        last = count
      }
      let handled = observed.all.count
      #expect(handled < total, "the server read all \(total) calls while none of their answers were read")
      #expect(handled > 10_000, "the server stopped too early: \(handled)")
      shutdown(fd, Int32(SHUT_RDWR))
    }
  }

  @Test func requestsHeldForTheirHalfCloseAreBoundedPerConnection() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      // Each call parks a request of nearly a frame and does not half-close; four fit.
      let parked = EchoRequest(text: String(repeating: "x", count: Frame.defaultMaxPayloadSize - 100))
      for id: UInt32 in [1, 3, 5, 7, 9] {
        try raw.send(.callStart, callID: id, message: CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil))
        try raw.send(.message, callID: id, message: parked)
      }
      var trailers: [UInt32: Trailer] = [:]
      while trailers[9] == nil, let frame = try await raw.nextFrame() {
        if frame.type == .trailer { trailers[frame.callID] = try BinaryDecoder().decode(Trailer.self, from: frame.payload) }
      }
      #expect(trailers.keys.sorted() == [9])
      #expect(trailers[9]?.code == .resourceExhausted)
      #expect(trailers[9]?.message.contains("half-close") == true)

      // A half-close starts call 1 and frees what it held: a new call may park again. Each
      // answer (as large as its request) is read before the next large write, so neither end
      // waits on the other's full socket.
      var answered: [UInt32] = []
      func readAnswer(to id: UInt32) async throws {
        while !answered.contains(id), let frame = try await raw.nextFrame() {
          if frame.type == .trailer {
            let trailer = try BinaryDecoder().decode(Trailer.self, from: frame.payload)
            #expect(trailer.code == .ok, "call \(frame.callID): \(trailer.message)")
            answered.append(frame.callID)
          }
        }
      }
      raw.send(.halfClose, callID: 1)
      try await readAnswer(to: 1)
      try raw.send(.callStart, callID: 11, message: CallStart(method: "Echo/Get", metadata: [:], timeoutMicroseconds: nil))
      try raw.send(.message, callID: 11, message: parked)
      raw.send(.halfClose, callID: 11)
      try await readAnswer(to: 11)
      #expect(answered == [1, 11])
    }
  }

  @Test func aStreamingCallMayHoldAtMost256UnreadRequests() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      let key = UUID().uuidString
      // The handler reads nothing until released: 256 small messages wait, the 257th ends the call.
      try raw.send(
        .callStart, callID: 1,
        message: CallStart(method: "Echo/CountWhenReleased", metadata: ["hold-key": key], timeoutMicroseconds: nil))
      var burst: [UInt8] = []
      for index in 0..<257 {
        burst += Frame(type: .message, callID: 1, payload: try BinaryEncoder().encode(EchoRequest(text: "\(index)"))).bytes
      }
      raw.write(burst)
      var trailer: Trailer?
      while trailer == nil, let frame = try await raw.nextFrame() {
        if frame.type == .trailer { trailer = try BinaryDecoder().decode(Trailer.self, from: frame.payload) }
      }
      HeldCalls.release(key)
      #expect(trailer?.code == .resourceExhausted)
      #expect(trailer?.message == "more than 256 request messages are waiting to be read")
    }
  }

  @Test func streamedRequestsTheirHandlerHasNotReadAreBoundedPerConnection() async throws {
    try await withEchoServer { server throws in
      let raw = try RawConnection(path: server.socketPath)
      try raw.hello()
      let big = EchoRequest(text: String(repeating: "x", count: Frame.defaultMaxPayloadSize - 100))
      func start(_ id: UInt32, key: String) throws {
        try raw.send(
          .callStart, callID: id,
          message: CallStart(method: "Echo/CountWhenReleased", metadata: ["hold-key": key], timeoutMicroseconds: nil))
      }
      func trailer(of id: UInt32) async throws -> Trailer? {
        while let frame = try await raw.nextFrame() {
          guard frame.type == .trailer else { continue }
          let trailer = try BinaryDecoder().decode(Trailer.self, from: frame.payload)
          if frame.callID == id { return trailer }
          Issue.record("unexpected trailer for call \(frame.callID): \(trailer.code) \(trailer.message)")
        }
        return nil
      }
      let (first, second, third) = (UUID().uuidString, UUID().uuidString, UUID().uuidString)
      // Call 1's handler reads nothing yet: three messages of nearly a frame wait in its inbox.
      try start(1, key: first)
      for _ in 0..<3 { try raw.send(.message, callID: 1, message: big) }
      // Call 3 may add one more; its second passes the connection's four frames and ends it.
      try start(3, key: second)
      try raw.send(.message, callID: 3, message: big)
      try raw.send(.message, callID: 3, message: big)
      let refused = try await trailer(of: 3)
      #expect(refused?.code == .resourceExhausted)
      #expect(refused?.message.contains("not read") == true)

      // Call 3's end freed its unread message; call 1's handler reads its three once released.
      // Then a new call may hold three again: what a handler read no longer counts.
      HeldCalls.release(first)
      raw.send(.halfClose, callID: 1)
      let counted = try await trailer(of: 1)
      #expect(counted?.code == .ok, "\(counted?.message ?? "no trailer")")
      try start(5, key: third)
      for _ in 0..<3 { try raw.send(.message, callID: 5, message: big) }
      raw.send(.halfClose, callID: 5)
      HeldCalls.release(third)
      let again = try await trailer(of: 5)
      #expect(again?.code == .ok, "\(again?.message ?? "no trailer")")
    }
  }
}
