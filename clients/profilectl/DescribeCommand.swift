internal import ProfileAPI
internal import ProfileClient
internal import WireFormat

/// `describe NAME`: one service, method, message or enum in schema syntax, followed by every
/// message and enum it refers to.
struct DescribeCommand: Command {
  static let name = "describe"
  static let synopsis = "describe NAME"
  static let summary = "a service, method, message or enum, in schema syntax"
  static let usage = """
    USAGE: profilectl [options] describe NAME

    Prints NAME in the syntax of proto/profile.schema, then every message and enum it refers
    to, directly or not, sorted by name. NAME is a service (Health), a method (Health.Check or
    Health/Check), a message (Health.CheckRequest) or an enum (Health.ServingStatus). An
    unknown NAME is NOT_FOUND (exit 5).

    OPTIONS:
      -h, --help   shows this help

    The global options (see profilectl --help) apply.

    """

  let target: String

  init(arguments: [String]) throws(UsageError) {
    let operands = try CommandArguments(arguments, of: Self.self).operands
    guard let target = operands.first else {
      throw UsageError("describe needs a NAME", usage: Self.usage)
    }
    guard operands.count == 1 else {
      throw UsageError("describe takes one NAME, found '\(operands[1])' too", usage: Self.usage)
    }
    self.target = target
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    let description = try await context.withClient { client in
      try await client.reflection.describe(target, options: context.callOptions())
    }
    var blocks: [[String]] = []
    var types = description.types
    if let service = description.service {
      blocks.append(SchemaCatalog.render(service))
    } else if let method = description.method {
      blocks.append(["service \(method.service) {", "  " + SchemaCatalog.render(method), "}"])
    } else if let message = description.message {
      blocks.append(SchemaCatalog.render(message))
      types.messages[message.name] = nil
    } else if let enumeration = description.enumeration {
      blocks.append(SchemaCatalog.render(enumeration))
      types.enums[enumeration.name] = nil
    }
    for name in types.messages.keys.sorted() {
      blocks.append(SchemaCatalog.render(types.messages[name]!))
    }
    for name in types.enums.keys.sorted() {
      blocks.append(SchemaCatalog.render(types.enums[name]!))
    }
    Output.line(blocks.map { $0.joined(separator: "\n") + "\n" }.joined(separator: "\n"), terminator: "")
    return .success
  }
}
