import RPC
import Testing

@Suite struct DeadlineAndCancellationTests {
  @Test func serverAnswersDeadlineExceededAndCancelsTheHandler() async throws {
    let observed = ObservedCalls()
    try await withEchoServer(configure: { $0.callObserver = observed.record }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(
            EchoService.get, EchoRequest(text: "slow", delayMilliseconds: 5000),
            options: CallOptions(timeout: .milliseconds(100)))
        }
        #expect(error?.code == .deadlineExceeded)
        // The server's own trailer, not the client's later local timer, said so.
        #expect(error?.message == "the call's deadline passed")
        // The connection is still good.
        #expect(try await client.unary(EchoService.get, EchoRequest(text: "ok")).text == "ok")
      }
    }
    #expect(observed.codes(for: "Echo/Get").contains(.deadlineExceeded))
  }

  @Test func handlerSeesItsDeadline() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        // A generous timeout: the handler's task may wait seconds for the cooperative pool
        // while the rest of a parallel test run keeps it busy.
        let response = try await client.unary(
          EchoService.get, EchoRequest(text: "x"), options: CallOptions(timeout: .seconds(60)))
        let remaining = try #require(response.remainingMilliseconds)
        #expect(remaining > 30_000 && remaining <= 60_000)
        let none = try await client.unary(EchoService.get, EchoRequest(text: "x"))
        #expect(none.remainingMilliseconds == nil)
      }
    }
  }

  @Test func remainingTimePropagatesToCallsAHandlerMakes() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        // Relay calls Echo/Get with no timeout of its own: it inherits what remains of 60 s
        // (generous, as the handlers' tasks may wait for a busy cooperative pool).
        let response = try await client.unary(
          EchoService.relay, EchoRequest(text: "inner"), options: CallOptions(timeout: .seconds(60)))
        #expect(response.text == "inner")
        let remaining = try #require(response.remainingMilliseconds)
        #expect(remaining > 0 && remaining < 60_000)
        // And the inner call fails when the outer deadline is too short for it.
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(
            EchoService.relay, EchoRequest(text: "inner", delayMilliseconds: 3000),
            options: CallOptions(timeout: .milliseconds(200)))
        }
        #expect(error?.code == .deadlineExceeded)
      }
    }
  }

  @Test func cancellingOneCallLeavesTheOthersAndTheConnection() async throws {
    let observed = ObservedCalls()
    let started = StartedCalls()
    try await withEchoServer(configure: { $0.callObserver = observed.record }, interceptors: [started]) {
      server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let slow = Task {
          try await client.unary(EchoService.get, EchoRequest(text: "slow", delayMilliseconds: 10_000))
        }
        let other = Task {
          try await client.unary(EchoService.get, EchoRequest(text: "other", delayMilliseconds: 300))
        }
        // Both running on the server before the cancel, however slowly the tasks got going.
        try await waitUntil { started.count == 2 }
        slow.cancel()
        let error = await #expect(throws: RPCError.self) { try await slow.value }
        #expect(error?.code == .cancelled)
        #expect(try await other.value.text == "other")
        #expect(server.connectionCount == 1)
        // The server saw the cancel and ended the handler.
        try await waitUntil { observed.codes(for: "Echo/Get").contains(.cancelled) }
      }
    }
  }

  @Test func abandoningAServerStreamCancelsIt() async throws {
    let observed = ObservedCalls()
    try await withEchoServer(configure: { $0.callObserver = observed.record }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        var received = 0
        for try await _ in client.serverStreaming(
          EchoService.expand, EchoRequest(text: "s", delayMilliseconds: 10, count: 10_000))
        {
          received += 1
          if received == 3 { break }
        }
        #expect(received == 3)
        try await waitUntil { observed.codes(for: "Echo/Expand").contains(.cancelled) }
      }
    }
  }
}
