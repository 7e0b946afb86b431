public import ProfileAPI
public import RPC

/// The typed client of profiled: one property per service, sharing one connection.
///
/// ```swift
/// try await withProfileClient { client in
///   let status = try await client.health.check()
///   print(status)  // serving
/// }
/// ```
public struct ProfileClient: Sendable {
  /// The underlying RPC client, for per-call options or raw calls.
  public let rpc: RPCClient

  public init(rpc: RPCClient) {
    self.rpc = rpc
  }

  public var health: HealthClient { HealthClient(rpc: rpc) }
  public var reflection: ReflectionClient { ReflectionClient(rpc: rpc) }
}

/// Runs `body` with a client of the profiled server at `socketPath` (by default the same path
/// `profiled` listens on by default) and closes it afterwards.
public func withProfileClient<Result: Sendable>(
  socketPath: String = DefaultLocations.socketPath(),
  configuration: ClientConfiguration = ClientConfiguration(),
  _ body: (ProfileClient) async throws -> Result
) async throws -> Result {
  try await withRPCClient(socketPath: socketPath, configuration: configuration) { rpc in
    try await body(ProfileClient(rpc: rpc))
  }
}
