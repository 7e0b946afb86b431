/// `help [COMMAND]`: the general help, or one command's.
struct HelpCommand: Command {
  static let name = "help"
  static let synopsis = "help [COMMAND]"
  static let summary = "this help, or a command's"
  static let usage = """
    USAGE: profilectl help [COMMAND]

    Prints the general help, or the help of COMMAND (the same as profilectl COMMAND --help).

    """

  /// The command to explain; `nil` for the general help.
  let topic: (any Command.Type)?

  init(arguments: [String]) throws(UsageError) {
    let operands = try CommandArguments(arguments, of: Self.self).operands
    guard operands.count <= 1 else {
      throw UsageError("help takes at most one COMMAND, found '\(operands[1])' too", usage: Self.usage)
    }
    guard let name = operands.first else {
      topic = nil
      return
    }
    guard let command = Profilectl.command(named: name) else {
      throw UsageError("unknown command '\(name)'")
    }
    topic = command
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    Output.line(topic?.usage ?? Profilectl.usage, terminator: "")
    return .success
  }
}
