internal import ProfileAPI
internal import ProfileClient

/// `list`: every service the server reflects, with its methods.
struct ListCommand: Command {
  static let name = "list"
  static let synopsis = "list"
  static let summary = "every service and its methods"
  static let usage = """
    USAGE: profilectl [options] list

    Prints each service the server runs, then its methods indented below it in schema
    syntax:

      Health
        rpc Check(Health.CheckRequest) returns (Health.CheckResponse)
        rpc Watch(Health.CheckRequest) returns (stream Health.CheckResponse)

    OPTIONS:
      -h, --help   shows this help

    The global options (see profilectl --help) apply.

    """

  init(arguments: [String]) throws(UsageError) {
    if let extra = try CommandArguments(arguments, of: Self.self).operands.first {
      throw UsageError("list takes no arguments, found '\(extra)'", usage: Self.usage)
    }
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    let services = try await context.withClient { client in
      try await client.reflection.listServices(options: context.callOptions())
    }
    for service in services {
      Output.line(service.name)
      for method in service.methods {
        Output.line("  " + SchemaCatalog.render(method))
      }
    }
    return .success
  }
}
