/// A command's own arguments, split into the flags it knows and its operands.
///
/// `-` alone is an operand (standard input); after `--` everything is.
struct CommandArguments: Sendable {
  var operands: [String] = []
  /// The flags that appeared, by their long spelling.
  var flags: Set<String> = []

  /// - Parameter known: every spelling of each flag the command takes, mapped to its long
  ///   spelling, e.g. `["-w": "--watch", "--watch": "--watch"]`.
  /// - Throws: ``UsageError`` with the command's usage for any other flag.
  init(_ arguments: [String], of command: any Command.Type, flags known: [String: String] = [:])
    throws(UsageError)
  {
    var operandsOnly = false
    for argument in arguments {
      if operandsOnly || argument == "-" || !argument.hasPrefix("-") {
        operands.append(argument)
      } else if argument == "--" {
        operandsOnly = true
      } else if let flag = known[argument] {
        flags.insert(flag)
      } else {
        throw UsageError("unknown option '\(argument)' for \(command.name)", usage: command.usage)
      }
    }
  }
}
