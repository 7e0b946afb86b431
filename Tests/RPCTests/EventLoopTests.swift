import Foundation
import RPC
import Synchronization
import Testing

@Suite struct EventLoopTests {
  /// Runs `work` on `loop` and waits until it ran.
  static func run(on loop: EventLoop, _ work: @escaping @Sendable () -> Void = {}) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      loop.execute {
        work()
        continuation.resume()
      }
    }
  }

  @Test func aLoopWithoutBusyPollSleepsAtOnce() async throws {
    let loop = try EventLoop(name: "rpc-test-loop")
    defer { loop.shutdown() }
    for _ in 0..<5 {
      await Self.run(on: loop)
      try await Task.sleep(for: .milliseconds(10))
    }
    #expect(loop.busyPolls == 0)
  }

  /// Gives `loop` work until it has polled more than `count` times. Work again and again, not
  /// once: a loop thread descheduled for longer than its window after the work (a loaded
  /// machine) rightly sleeps without polling.
  static func workUntilPolls(on loop: EventLoop, above count: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while loop.busyPolls <= count {
      guard ContinuousClock.now < deadline else {
        throw RPCError(.deadlineExceeded, "the loop never polled after work")
      }
      await run(on: loop)
      try await Task.sleep(for: .milliseconds(10))
    }
  }

  @Test func aBusyPollingLoopPollsAfterWorkThenSleeps() async throws {
    let loop = try EventLoop(name: "rpc-test-loop", busyPoll: .milliseconds(20))
    defer { loop.shutdown() }
    try await Self.workUntilPolls(on: loop, above: 0)

    // While it polls, timers still fire and queued work still runs.
    let fired = Atomic<Bool>(false)
    await Self.run(on: loop) {
      loop.schedule(at: .now + .milliseconds(2)) { fired.store(true, ordering: .relaxed) }
    }
    try await waitUntil { fired.load(ordering: .relaxed) }

    // Well past the window with nothing to do, it sleeps: no more polls.
    try await Task.sleep(for: .milliseconds(150))
    let settled = loop.busyPolls
    try await Task.sleep(for: .milliseconds(200))
    #expect(loop.busyPolls == settled)

    // New work starts a new window.
    try await Self.workUntilPolls(on: loop, above: settled)
  }

  @Test func busyPollIsClampedAndTakesEffectOnARunningLoop() async throws {
    let loop = try EventLoop(name: "rpc-test-loop")
    defer { loop.shutdown() }
    loop.setBusyPoll(.seconds(5))
    #expect(loop.busyPoll == EventLoop.maxBusyPoll)
    loop.setBusyPoll(.milliseconds(-1))
    #expect(loop.busyPoll == .zero)
    // A loop thread that started its first turn between the two settings polled with the
    // first; once it ran work queued after the second, its next turns read zero.
    await Self.run(on: loop)
    let settled = loop.busyPolls
    await Self.run(on: loop)
    try await Task.sleep(for: .milliseconds(20))
    #expect(loop.busyPolls == settled)

    loop.setBusyPoll(.milliseconds(5))
    try await Self.workUntilPolls(on: loop, above: 0)
  }

  @Test func clientsShareTheirLoopsBusyPollSetting() async throws {
    try await withEchoServer { server in
      try RPCClient.setBusyPoll(.milliseconds(1))
      defer { try? RPCClient.setBusyPoll(.zero) }
      #expect(try RPCClient.busyPoll == .milliseconds(1))
      let before = RPCClient.busyPolls
      let client = try RPCClient(socketPath: server.configuration.socketPath)
      defer { client.close() }
      for index in 0..<20 {
        #expect(try await client.unary(EchoService.get, EchoRequest(text: "\(index)")).text == "\(index)")
      }
      #expect(RPCClient.busyPolls > before)
    }
  }

  @Test func aBusyPollingServerAnswersCallsDeadlinesAndShutsDown() async throws {
    try await withEchoServer(configure: { $0.busyPoll = .milliseconds(5) }) { server in
      let client = try RPCClient(socketPath: server.configuration.socketPath)
      defer { client.close() }
      for index in 0..<20 {
        let response = try await client.unary(EchoService.get, EchoRequest(text: "call \(index)"))
        #expect(response.text == "call \(index)")
      }
      let late = await #expect(throws: RPCError.self) {
        try await client.unary(
          EchoService.get, EchoRequest(text: "late", delayMilliseconds: 2_000),
          options: CallOptions(timeout: .milliseconds(50)))
      }
      #expect(late?.code == .deadlineExceeded)
      #expect(server.busyPolls > 0)
    }
  }

  @Test func aServerPollsOnlyWhenConfiguredTo() async throws {
    try await withEchoServer { server in
      let client = try RPCClient(socketPath: server.configuration.socketPath)
      defer { client.close() }
      for index in 0..<5 {
        #expect(try await client.unary(EchoService.get, EchoRequest(text: "\(index)")).text == "\(index)")
      }
      #expect(server.busyPolls == 0)
    }
  }
}
