internal import ProfileAPI
internal import ProfileClient
internal import WireFormat

/// `schema`: the whole contract as the server reflects it, in the text of `proto/profile.schema`.
struct SchemaCommand: Command {
  static let name = "schema"
  static let synopsis = "schema"
  static let summary = "the whole schema, as in proto/profile.schema"
  static let usage = """
    USAGE: profilectl [options] schema

    Prints every service, message and enum the server reflects, rendered exactly as
    proto/profile.schema is: for the server built from the same tree the two are equal, so

      profilectl schema > proto/profile.schema

    regenerates the file, and `profilectl schema | diff proto/profile.schema -` shows how a
    running server differs from the checked-in contract.

    OPTIONS:
      -h, --help   shows this help

    The global options (see profilectl --help) apply.

    """

  init(arguments: [String]) throws(UsageError) {
    if let extra = try CommandArguments(arguments, of: Self.self).operands.first {
      throw UsageError("schema takes no arguments, found '\(extra)'", usage: Self.usage)
    }
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    let catalog = try await context.withClient { client in
      let options = context.callOptions()
      let services = try await client.reflection.listServices(options: options)
      var types = SchemaSet()
      for service in services {
        let description = try await client.reflection.describe(service.name, options: options)
        types.messages.merge(description.types.messages) { first, _ in first }
        types.enums.merge(description.types.enums) { first, _ in first }
      }
      return SchemaCatalog(descriptions: services, types: types)
    }
    Output.line(catalog.render(), terminator: "")
    return .success
  }
}
