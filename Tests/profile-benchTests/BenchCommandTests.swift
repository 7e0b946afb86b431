import Testing

@testable import profile_bench

@Suite struct BenchCommandTests {
  struct NotARun: Error {}

  @Test func roundsComeFromTheCommandLine() throws {
    func options(_ arguments: String...) throws -> BenchOptions {
      guard case .run(let options) = try BenchCommand(arguments: arguments) else {
        throw NotARun()
      }
      return options
    }
    #expect(try options().rounds == 3)
    #expect(try options("--quick").rounds == 1)
    #expect(try options("--quick", "--rounds", "4").rounds == 4)
    #expect(try options("--rounds=2", "--quick").rounds == 2)
    for bad in ["0", "21", "two"] {
      #expect {
        try BenchCommand(arguments: ["--rounds", bad])
      } throws: { error in
        "\(error)".contains("--rounds takes a whole number from 1 to 20")
      }
    }
  }

  @Test func pingPongOnlyKeepsTheRPCPathRowsOnly() throws {
    guard case .run(let options) = try BenchCommand(arguments: ["--ping-pong-only", "--quick"])
    else {
      throw NotARun()
    }
    #expect(options.pingPongOnly)
    #expect(!options.measuresStore)
    #expect(UnaryPlan.plans(for: options).map(\.unary) == [.pingPong])
    guard case .run(let everything) = try BenchCommand(arguments: ["--quick"]) else {
      throw NotARun()
    }
    #expect(everything.measuresStore)
    #expect(UnaryPlan.plans(for: everything).count == RPCScenarios.Unary.allCases.count)
    #expect(
      BenchRunner(options: options, commandLine: "").plannedMetrics.count
        < BenchRunner(options: everything, commandLine: "").plannedMetrics.count)
    #expect {
      try BenchCommand(arguments: ["--ping-pong-only", "--only", "raw"])
    } throws: { error in
      "\(error)".contains("--ping-pong-only chooses rows of the profiled side")
    }
    #expect {
      try BenchCommand(arguments: ["--ping-pong-only=yes"])
    } throws: { error in
      "\(error)".contains("--ping-pong-only takes no value")
    }
  }

  @Test func clientBusyPollIsCheckedAndOnlyForTheProfiledSide() throws {
    guard case .run(let options) = try BenchCommand(arguments: ["--client-busy-poll", "200"]) else {
      throw NotARun()
    }
    #expect(options.clientBusyPollMicroseconds == 200)
    guard case .run(let defaults) = try BenchCommand(arguments: []) else { throw NotARun() }
    #expect(defaults.clientBusyPollMicroseconds == 0)
    for bad in ["-1", "10001", "fast"] {
      #expect {
        try BenchCommand(arguments: ["--client-busy-poll=\(bad)"])
      } throws: { error in
        "\(error)".contains("--client-busy-poll takes a whole number from 0 to 10000")
      }
    }
    #expect {
      try BenchCommand(arguments: ["--client-busy-poll", "50", "--only", "raw"])
    } throws: { error in
      "\(error)".contains("makes no sense with --only raw")
    }
  }
}
