public import ProfileAPI
public import RPC

/// Calls the `Reflection` service.
public struct ReflectionClient: Sendable {
  let rpc: RPCClient

  public func listServices(options: CallOptions = CallOptions()) async throws
    -> [Reflection.ServiceDescription]
  {
    try await rpc.unary(Reflection.listServices, Reflection.ListServicesRequest(), options: options)
      .services
  }

  /// Describes a service, a method (`Service.Method`), a message or an enum.
  ///
  /// - Throws: ``RPCError`` `NOT_FOUND` for an unknown name.
  public func describe(_ name: String, options: CallOptions = CallOptions()) async throws
    -> Reflection.DescribeResponse
  {
    try await rpc.unary(Reflection.describe, Reflection.DescribeRequest(name: name), options: options)
  }
}
