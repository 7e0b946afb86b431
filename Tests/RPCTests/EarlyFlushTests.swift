import Foundation
import Glibc
import RPC
import Synchronization
import Testing
import WireFormat

/// Answers produced while a read's frames are still being handled leave before the last handler
/// returns (`Channel`'s early writes), so a peer with many calls in flight can start on them.
@Suite struct EarlyFlushTests {
  static let pass = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Gate", method: "Pass", kind: .unary)
  static let wait = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Gate", method: "Wait", kind: .unary)

  /// `Pass` answers at once. `Wait` holds the loop thread until the test's end of the socket
  /// holds bytes (an answer has left the server) or 10 s pass, and says which happened.
  ///
  /// The server's thread looks at the socket itself (`MSG_PEEK`) rather than wait for the test
  /// to say it read something: the test's task runs on the cooperative pool, which a parallel
  /// test run on a two-core machine can keep busy for seconds.
  final class Gate: Sendable {
    /// The test's end of the connection; -1 until the test has read the server's hello.
    let peer = Atomic<Int32>(-1)

    /// Whether bytes arrived at the test's end within 10 s.
    func waitForAnAnswer() -> Bool {
      let giveUp = ContinuousClock.now + .seconds(10)
      while ContinuousClock.now < giveUp {
        var byte: UInt8 = 0
        let fd = peer.load(ordering: .acquiring)
        if fd >= 0 && recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0 { return true }
        usleep(1_000)
      }
      return false
    }
  }

  struct GateService: RPCService {
    let gate: Gate

    func register(with router: inout RPCRouter) {
      router.unary(EarlyFlushTests.pass, immediately: { request, _ in EchoResponse(text: request.text) })
      router.unary(EarlyFlushTests.wait, immediately: { [gate] _, _ in
        EchoResponse(text: gate.waitForAnAnswer() ? "released" : "timed out")
      })
    }
  }

  static func call(_ id: UInt32, _ method: MethodDescriptor<EchoRequest, EchoResponse>) throws
    -> [UInt8]
  {
    var bytes: [UInt8] = []
    try Frame.append(to: &bytes, type: .callStart, callID: id) {
      CallStart(method: method.fullName, metadata: [:], timeoutMicroseconds: nil).encode(
        appendingTo: &$0)
    }
    try Frame.append(to: &bytes, type: .message, flags: FrameFlags.endStream, callID: id) {
      try BinaryEncoder().encode(EchoRequest(text: "call \(id)"), appendingTo: &$0)
    }
    return bytes
  }

  @Test func answersToEarlierCallsOfOneReadLeaveBeforeASlowLaterHandlerReturns() async throws {
    let gate = Gate()
    let path = temporarySocketPath()
    try await withRPCServer(
      configuration: ServerConfiguration(socketPath: path), services: [GateService(gate: gate)]
    ) { _ in
      let connection = try RawConnection(path: path)
      try connection.hello()
      #expect(try await connection.nextFrame()?.type == .hello)
      gate.peer.store(connection.fd, ordering: .releasing)
      // Four quick calls (the first early write comes after two of them) and a slow one, in one write.
      var batch: [UInt8] = []
      for id: UInt32 in 1...4 { batch += try Self.call(id, Self.pass) }
      batch += try Self.call(5, Self.wait)
      connection.write(batch)

      let first = try #require(try await connection.nextFrame(), "no answer arrived while call 5 ran")
      #expect(first.type == .message && first.callID == 1)

      var answers: [UInt32: String] = [:]
      var trailers: Set<UInt32> = []
      answers[1] = try BinaryDecoder().decode(EchoResponse.self, from: first.payload).text
      while trailers.count < 5, let frame = try await connection.nextFrame() {
        if frame.type == .message {
          answers[frame.callID] = try BinaryDecoder().decode(EchoResponse.self, from: frame.payload)
            .text
        } else if frame.type == .trailer {
          trailers.insert(frame.callID)
        }
      }
      #expect(trailers == [1, 2, 3, 4, 5])
      #expect(answers == [1: "call 1", 2: "call 2", 3: "call 3", 4: "call 4", 5: "released"])
    }
  }

  /// A connection's only call in flight is answered before the server's wrap-up of the call
  /// (its record, here a call observer that holds the loop thread until the answer has arrived)
  /// and before the rest of the loop's iteration: a peer waiting for exactly that answer starts
  /// on it at once.
  @Test func theLastCallInFlightIsAnsweredBeforeItsWrapUp() async throws {
    let gate = Gate()
    let observerSaw = Mutex<String?>(nil)
    let path = temporarySocketPath()
    var configuration = ServerConfiguration(socketPath: path)
    configuration.callObserver = { record in
      guard record.method == EarlyFlushTests.pass.fullName else { return }
      let answered = gate.waitForAnAnswer()
      observerSaw.withLock { $0 = answered ? "answered first" : "timed out" }
    }
    try await withRPCServer(configuration: configuration, services: [GateService(gate: gate)]) { _ in
      let connection = try RawConnection(path: path)
      try connection.hello()
      #expect(try await connection.nextFrame()?.type == .hello)
      gate.peer.store(connection.fd, ordering: .releasing)
      connection.write(try Self.call(1, Self.pass))
      let answer = try #require(try await connection.nextFrame(), "no answer")
      #expect(answer.type == .message && answer.callID == 1)
      #expect(try await connection.nextFrame()?.type == .trailer)
    }
    #expect(observerSaw.withLock { $0 } == "answered first")
  }
}
