internal import ProfileAPI
internal import RPC

/// The options every command shares, and the command with its own arguments, read from the
/// command line and the environment.
///
/// Global options may come before or after the command name; after `--` nothing is read as an
/// option. Precedence: `--socket` over `$PROFILED_SOCKET` over profiled's own default socket;
/// `--token` over `-H authorization=...` over `$PROFILED_TOKEN`.
struct CommandLineOptions: Sendable {
  /// Calls whose responses do not stream get this deadline when `--timeout` is absent.
  static let defaultTimeout: Duration = .seconds(5)

  var socketPath: String
  /// Where ``socketPath`` came from, for error messages: `from --socket`, `from $PROFILED_SOCKET`
  /// or `profiled's default`.
  var socketSource: String
  /// The `--timeout` value, when given.
  var timeout: Duration?
  /// Metadata for every call: the token and the `-H` entries.
  var metadata: Metadata
  /// `-h` or `--help` appeared among the global options.
  var wantsHelp = false
  /// The command name, if any.
  var command: String?
  /// What follows the command name, global options removed.
  var commandArguments: [String] = []

  /// Options for one call: a response stream runs until it ends unless `--timeout` was given.
  func callOptions(streamingResponses: Bool = false) -> CallOptions {
    CallOptions(
      timeout: timeout ?? (streamingResponses ? nil : Self.defaultTimeout), metadata: metadata)
  }

  /// Reads `arguments` (without the program name).
  ///
  /// - Throws: ``UsageError`` for an unknown global option before the command, a missing or
  ///   malformed value, or metadata over the protocol's limits.
  static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError)
    -> CommandLineOptions
  {
    var socketFlag: String?
    var tokenFlag: String?
    var timeout: Duration?
    var headers: [(key: String, value: String)] = []
    var wantsHelp = false
    var command: String?
    var rest: [String] = []

    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "--" {
        rest.append(contentsOf: arguments[(index - 1)...])
        break
      }
      var flag = argument
      var inline: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        inline = String(argument[argument.index(after: equals)...])
      } else if argument.hasPrefix("-H"), argument.count > 2 {
        flag = "-H"
        inline = String(argument.dropFirst(2))
      }
      func value() throws(UsageError) -> String {
        if let inline { return inline }
        guard index < arguments.count else { throw UsageError("\(flag) needs a value") }
        index += 1
        return arguments[index - 1]
      }
      switch flag {
      case "--socket":
        let path = try value()
        guard !path.isEmpty, path.utf8.count <= 107 else {
          throw UsageError("--socket must be a path of 1 to 107 bytes")
        }
        socketFlag = path
      case "--token":
        let token = try value()
        guard !token.isEmpty, !token.contains(where: \.isNewline) else {
          throw UsageError("--token must be a non-empty single-line value")
        }
        tokenFlag = token
      case "--timeout":
        let text = try value()
        guard let duration = DurationParser.duration(from: text) else {
          throw UsageError(
            "--timeout must be a positive duration of at most 24h such as 500ms, 5s, 2m or 1.5 "
              + "(seconds), not '\(text)'")
        }
        timeout = duration
      case "-H", "--header":
        headers.append(try header(try value()))
      case "-h", "--help":
        if command == nil { wantsHelp = true } else { rest.append(argument) }
      default:
        if command == nil {
          guard !argument.hasPrefix("-") || argument == "-" else {
            throw UsageError("unknown option '\(argument)'")
          }
          command = argument
        } else {
          rest.append(argument)
        }
      }
    }

    var metadata = Metadata()
    if let token = environment["PROFILED_TOKEN"], !token.isEmpty {
      metadata[Metadata.authorization] = "Bearer \(token)"
    }
    for (key, value) in headers { metadata[key] = value }
    if let tokenFlag { metadata[Metadata.authorization] = "Bearer \(tokenFlag)" }
    if let violation = metadata.limitViolation() { throw UsageError(violation) }

    let socketSource: String
    if socketFlag != nil {
      socketSource = "from --socket"
    } else if let variable = environment["PROFILED_SOCKET"], !variable.isEmpty {
      socketSource = "from $PROFILED_SOCKET"
    } else {
      socketSource = "profiled's default"
    }
    var options = CommandLineOptions(
      socketPath: socketFlag ?? DefaultLocations.socketPath(environment: environment),
      socketSource: socketSource, timeout: timeout, metadata: metadata)
    options.wantsHelp = wantsHelp
    options.command = command
    options.commandArguments = rest
    return options
  }

  /// Reads a `-H` value: `key=value`, the key made of letters, digits, `-`, `_` and `.`.
  private static func header(_ text: String) throws(UsageError) -> (key: String, value: String) {
    guard let equals = text.firstIndex(of: "=") else {
      throw UsageError("-H takes key=value, not '\(text)'")
    }
    let key = String(text[..<equals])
    let value = String(text[text.index(after: equals)...])
    let allowed = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    guard !key.isEmpty, allowed else {
      throw UsageError(
        "-H key must be letters, digits, '-', '_' or '.', not '\(key)' (in '\(text)')")
    }
    guard !value.contains(where: \.isNewline) else {
      throw UsageError("-H value for '\(key)' must be a single line")
    }
    return (key.lowercased(), value)
  }
}
