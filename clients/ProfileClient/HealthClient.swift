public import ProfileAPI
public import RPC

/// Calls the `Health` service.
public struct HealthClient: Sendable {
  let rpc: RPCClient

  /// The serving status of `service`, or of the server when `service` is nil.
  ///
  /// - Throws: ``RPCError`` `NOT_FOUND` for an unknown service name.
  public func check(service: String? = nil, options: CallOptions = CallOptions()) async throws
    -> Health.ServingStatus
  {
    try await rpc.unary(Health.check, Health.CheckRequest(service: service), options: options).status
  }

  /// The current status and then every change, until the iteration stops.
  public func watch(service: String? = nil, options: CallOptions = CallOptions())
    -> ResponseStream<Health.CheckResponse>
  {
    rpc.serverStreaming(Health.watch, Health.CheckRequest(service: service), options: options)
  }
}
