internal import ProfileClient
internal import RPC

/// What a running command needs besides its arguments: the parsed global options and a way to
/// reach the server.
struct CommandContext: Sendable {
  let options: CommandLineOptions

  /// Options for one call; see ``CommandLineOptions/callOptions(streamingResponses:)``.
  func callOptions(streamingResponses: Bool = false) -> CallOptions {
    options.callOptions(streamingResponses: streamingResponses)
  }

  /// Runs `body` with a client of the server at the chosen socket, closed afterwards.
  ///
  /// Nothing connects until the first call, which fails with `UNAVAILABLE` when no server
  /// listens.
  func withClient<Result: Sendable>(_ body: (ProfileClient) async throws -> Result) async throws
    -> Result
  {
    try await withProfileClient(socketPath: options.socketPath, body)
  }
}
