/// A profilectl subcommand: its name, its help, how it reads its arguments and what it does.
///
/// The dispatcher (``Profilectl``) removes the global options first and answers `-h`/`--help`
/// itself, so `init(arguments:)` sees only the command's own flags and operands.
protocol Command: Sendable {
  /// The word that selects the command, e.g. `health`.
  static var name: String { get }
  /// The synopsis and one-line summary shown in the general help.
  static var synopsis: String { get }
  static var summary: String { get }
  /// The full help text of the command, ending with a newline.
  static var usage: String { get }

  /// Reads the command's arguments.
  ///
  /// - Throws: ``UsageError`` for an unknown flag or a missing or extra operand.
  init(arguments: [String]) throws(UsageError)

  /// Runs the command, writing its results to standard output.
  ///
  /// - Returns: the exit status; failures of calls are thrown as `RPCError` instead.
  func run(in context: CommandContext) async throws -> ExitCode
}

extension Command {
  /// The general help line of the command.
  static var helpLine: String {
    "  " + synopsis + String(repeating: " ", count: max(1, 33 - synopsis.count)) + summary
  }
}
