internal import Testing

@Suite("profilectl help")
struct HelpTests {
  static let commands = ["health", "list", "describe", "call", "schema", "export", "help"]

  @Test("--help, -h and help print the general help on standard output", arguments: [["--help"], ["-h"], ["help"]])
  func generalHelp(arguments: [String]) async throws {
    let result = try await ProfilectlProcess.run(arguments)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.hasPrefix("USAGE: profilectl [options] COMMAND"), "\(result)")
    for command in Self.commands {
      #expect(result.stdout.contains("\n  \(command)"), "\(command) missing: \(result)")
    }
    for option in ["--socket", "--token", "--timeout", "-H", "EXIT STATUS"] {
      #expect(result.stdout.contains(option), "\(option) missing: \(result)")
    }
    #expect(result.stderr.isEmpty, "\(result)")
  }

  @Test("every command has --help, also when other arguments are wrong", arguments: commands)
  func commandHelp(command: String) async throws {
    let flag = try await ProfilectlProcess.run([command, "--help"])
    #expect(flag.status == 0, "\(flag)")
    #expect(flag.stdout.hasPrefix("USAGE: profilectl"), "\(flag)")
    #expect(flag.stdout.contains(command), "\(flag)")
    let word = try await ProfilectlProcess.run(["help", command])
    #expect(word.status == 0, "\(word)")
    #expect(word.stdout == flag.stdout)
    let withOthers = try await ProfilectlProcess.run(["--help", command, "--bogus"])
    #expect(withOthers.status == 0, "\(withOthers)")
    #expect(withOthers.stdout == flag.stdout)
  }

  @Test("call --help says that JSON not matching the schema is INVALID_ARGUMENT, exit 3")
  func callHelpExplainsErrors() async throws {
    let result = try await ProfilectlProcess.run(["call", "-h"])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("INVALID_ARGUMENT"), "\(result)")
    #expect(result.stdout.contains("(exit 3)"), "\(result)")
  }
}
