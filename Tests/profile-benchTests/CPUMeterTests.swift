internal import Foundation
internal import Glibc
@testable import profile_bench
import Testing

@Suite struct CPUMeterTests {
  @Test func statFieldsAreCountedAfterTheCommandName() {
    // Fields 14 and 15 (utime 250, stime 30); the command name holds a space and a ')'.
    let stat = "4242 (rpc (x) y) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 30 0 0 20 0 9 0 100 0 0"
    #expect(ProcFS.cpuTicks(inStat: stat) == 280)
    #expect(ProcFS.cpuTicks(inStat: "4242 (short) S 1 2 3") == nil)
    #expect(ProcFS.cpuTicks(inStat: "no parenthesis at all") == nil)
    #expect(ProcFS.cpuTicks(inStat: "1 (x) S 1 2 3 4 5 6 7 8 9 10 a b 0") == nil)
  }

  @Test func bothReadingsGrowWhileThisProcessBurnsCPU() throws {
    let ownStart = ProcFS.ownCPUTime()
    let procStart = try ProcFS.cpuTime(of: getpid())
    var sink = 0
    while ProcFS.ownCPUTime() - ownStart < .milliseconds(300) {
      for value in 0..<10_000 { sink &+= value &* value }
    }
    #expect(sink != 1)  // keeps the loop
    // /proc counts in 10 ms ticks; 300 ms of burning shows as well over 200.
    #expect(try ProcFS.cpuTime(of: getpid()) - procStart >= .milliseconds(200))
    #expect(throws: BenchError.self) { try ProcFS.cpuTime(of: Int32.max) }
  }

  @Test func usageIsKnownOnlyWhenEverySliceWasMetered() {
    let usage = CPUUsage(server: .milliseconds(30), client: .milliseconds(20))
    let metered = RateResult(count: 1_000, seconds: 1, errors: ErrorTally(), cpu: usage)
    let total = RateResult.empty.adding(metered).adding(metered)
    #expect(total.cpu == CPUUsage(server: .milliseconds(60), client: .milliseconds(40)))
    let perCall = total.cpu?.perCall(total.count)
    #expect(perCall?.server == 30 && perCall?.client == 20)
    let unmetered = RateResult(count: 1_000, seconds: 1, errors: ErrorTally())
    #expect(total.adding(unmetered).cpu == nil)
    #expect(RateResult.empty.adding(unmetered).adding(metered).cpu == nil)
    // A server whose /proc entry could not be read leaves only the client's time.
    let clientOnly = CPUUsage(
      from: CPUMeter.Reading(server: nil, client: .milliseconds(5)),
      to: CPUMeter.Reading(server: .milliseconds(9), client: .milliseconds(8)))
    #expect(clientOnly == CPUUsage(server: nil, client: .milliseconds(3)))
    #expect(usage.perCall(0) == nil)
  }

  @Test func theLoadDriverMetersItsWindowOnlyWhenAsked() async {
    let call: LoadDriver.Call = {
      var sink = 0
      for value in 0..<1_000 { sink &+= value }
      if sink == 1 { throw CancellationError() }
      await Task.yield()
    }
    // No expectation on the calls counted: with the other suites running in parallel, the
    // workers may not get a thread inside so short a window. The meter's task reads it anyway.
    let metered = await LoadDriver.throughput(
      workers: 2, calls: [call], warmup: .milliseconds(20), duration: .milliseconds(300),
      meter: CPUMeter(serverPID: getpid()))
    #expect(metered.cpu?.server != nil)
    #expect((metered.cpu?.client ?? .zero) > .zero)
    let plain = await LoadDriver.throughput(
      workers: 2, calls: [call], warmup: .milliseconds(20), duration: .milliseconds(50))
    #expect(plain.cpu == nil)
  }

  /// Against a raw baseline server on a thread of this process (the server's process is then
  /// this one too), left running idle when the test ends: it has no stop, it serves until the
  /// process that started it is gone.
  @Test func theRawClientMetersItsWindowOnlyWhenAsked() throws {
    let socketPath = ChildServer.temporarySocketPath(tag: "cpu-meter-test")
    let server = RawBaselineServer(socketPath: socketPath)
    Thread { try? server.run() }.start()
    defer { unlink(socketPath) }
    var attempts = 0
    while (try? UnixSocket.connect(path: socketPath, nonBlocking: false)).map({ close($0) }) == nil {
      attempts += 1
      try #require(attempts < 500, "the raw server did not start listening")
      usleep(10_000)
    }
    let client = RawBaselineClient(socketPath: socketPath)
    let metered = try client.measureThroughput(
      connections: 4, warmupSeconds: 0.02, durationSeconds: 0.3, meter: CPUMeter(serverPID: getpid()))
    #expect(metered.count > 0)
    #expect(metered.cpu?.server != nil)
    #expect((metered.cpu?.client ?? .zero) > .zero)
    let plain = try client.measureThroughput(connections: 2, warmupSeconds: 0.01, durationSeconds: 0.05)
    #expect(plain.count > 0 && plain.cpu == nil)
  }
}
