internal import ProfileAPI
internal import ProfileClient
internal import RPC

/// `health [SERVICE] [--watch]`: the serving status of the server or of one service.
struct HealthCommand: Command {
  static let name = "health"
  static let synopsis = "health [SERVICE] [--watch]"
  static let summary = "the serving status of the server or of one service"
  static let usage = """
    USAGE: profilectl [options] health [SERVICE] [--watch]

    Prints the serving status of the server, or of SERVICE (e.g. Health), as one word:
    serving, notServing or unknown (the names JSON uses for Health.ServingStatus). The exit
    status is 0 whenever the check itself succeeds, whatever the status; an unknown SERVICE
    is NOT_FOUND (exit 5).

    OPTIONS:
      -w, --watch   prints the current status, then one line per change, until interrupted,
                    the server ends the stream or --timeout (none by default) passes
      -h, --help    shows this help

    The global options (see profilectl --help) apply.

    """

  let service: String?
  let watch: Bool

  init(arguments: [String]) throws(UsageError) {
    let parsed = try CommandArguments(
      arguments, of: Self.self, flags: ["-w": "--watch", "--watch": "--watch"])
    guard parsed.operands.count <= 1 else {
      throw UsageError(
        "health takes at most one SERVICE, found '\(parsed.operands[1])' too", usage: Self.usage)
    }
    service = parsed.operands.first
    watch = parsed.flags.contains("--watch")
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    try await context.withClient { client in
      if watch {
        let options = context.callOptions(streamingResponses: true)
        for try await response in client.health.watch(service: service, options: options) {
          Output.line("\(response.status)")
        }
      } else {
        let status = try await client.health.check(service: service, options: context.callOptions())
        Output.line("\(status)")
      }
      return .success
    }
  }
}
