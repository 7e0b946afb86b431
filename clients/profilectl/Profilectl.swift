internal import RPC

/// The command-line front: reads the options, picks the command, runs it and turns what
/// happened into output and an exit status.
///
/// Every outcome is decided here, in one place: help on standard output with 0; a usage error
/// on standard error with the usage text and 64; a failed call as `CODE_NAME: message` plus
/// its details on standard error, exiting with the status number.
enum Profilectl {
  static let commands: [any Command.Type] = [
    HealthCommand.self, ListCommand.self, DescribeCommand.self, CallCommand.self,
    SchemaCommand.self, OutboxCommand.self, ExportCommand.self, HelpCommand.self,
  ]

  static var usage: String {
    """
    USAGE: profilectl [options] COMMAND [arguments]

    Talks to a running profiled over its Unix socket: its health, the schema it reflects, and
    calls of any method with JSON in and out.

    COMMANDS:
    \(commands.map { $0.helpLine }.joined(separator: "\n"))

    OPTIONS:
      --socket PATH         the server's socket (default: $PROFILED_SOCKET, else
                            $XDG_RUNTIME_DIR/profiled.sock, else <data dir>/profiled.sock:
                            the socket profiled listens on by default)
      --token TOKEN         sends the metadata `authorization: Bearer TOKEN` (default:
                            $PROFILED_TOKEN)
      --timeout DURATION    the deadline of each call: 500ms, 5s, 2m or a number of seconds
                            (default: 5s; streaming responses run until they end)
      -H, --header KEY=VALUE
                            adds metadata to every call, e.g. -H request-id=abc; repeatable
      -h, --help            shows this help; COMMAND --help shows a command's

    Options may come before or after the command; `--` ends them.

    EXIT STATUS:
      0       success
      1-16    the call failed with that gRPC status code; `CODE_NAME: message` and the
              error's details are on standard error. Notably 3 INVALID_ARGUMENT (also for
              JSON that does not match the schema), 4 DEADLINE_EXCEEDED, 5 NOT_FOUND,
              12 UNIMPLEMENTED (unknown method), 14 UNAVAILABLE (no server on the socket)
      64      usage error: the command line is wrong

    """
  }

  /// The command called `name`.
  static func command(named name: String) -> (any Command.Type)? {
    commands.first { $0.name == name }
  }

  /// Parses and runs one command; generic so that the existential type is opened here.
  private static func run<Selected: Command>(
    _ type: Selected.Type, arguments: [String], in context: CommandContext
  ) async throws -> ExitCode {
    let command = try Selected(arguments: arguments)
    return try await command.run(in: context)
  }

  /// Runs the command line `arguments` (without the program name).
  static func run(arguments: [String], environment: [String: String]) async -> ExitCode {
    var socket: (path: String, source: String)?
    do {
      let options = try CommandLineOptions.parse(arguments, environment: environment)
      socket = (options.socketPath, options.socketSource)
      guard let name = options.command else {
        if options.wantsHelp {
          Output.line(usage, terminator: "")
          return .success
        }
        throw UsageError("missing COMMAND")
      }
      guard let type = command(named: name) else {
        throw UsageError("unknown command '\(name)'")
      }
      let arguments = options.commandArguments
      let flags = arguments.firstIndex(of: "--").map { arguments[..<$0] } ?? arguments[...]
      if options.wantsHelp || flags.contains("-h") || flags.contains("--help") {
        Output.line(type.usage, terminator: "")
        return .success
      }
      return try await run(type, arguments: arguments, in: CommandContext(options: options))
    } catch let error as UsageError {
      Output.error("profilectl: \(error.message)\n\n\(error.usage)", terminator: "")
      return .usage
    } catch let error as RPCError {
      for line in error.reportLines { Output.error(line) }
      if error.code == .unavailable, let socket {
        Output.error("  is profiled running? socket \(socket.path) (\(socket.source))")
      }
      return ExitCode(error.code)
    } catch {
      Output.error("UNKNOWN: \(error)")
      return ExitCode(.unknown)
    }
  }
}
