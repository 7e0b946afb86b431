public import WireFormat

/// The table of handlers a server dispatches calls to, by `Service/Method`.
public struct RPCRouter: Sendable {
  /// A method and its handler. A class: every call holds its route, and one reference is one
  /// retain where the fields would be several.
  package final class Route: Sendable {
    package let info: MethodInfo
    package let run: @Sendable (ServerCallIO) async throws -> Void

    init(info: MethodInfo, run: @escaping @Sendable (ServerCallIO) async throws -> Void) {
      self.info = info
      self.run = run
    }
  }

  package private(set) var routes: [String: Route] = [:]
  private let decoder: BinaryDecoder

  public init(decoderLimits: BinaryDecoder.Limits = .default) {
    decoder = BinaryDecoder(limits: decoderLimits)
  }

  /// The full names of the registered methods.
  public var methodNames: [String] { routes.keys.sorted() }

  /// Registers a unary handler. The descriptor's kind must be unary.
  public mutating func unary<Request, Response>(
    _ method: MethodDescriptor<Request, Response>,
    _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
  ) {
    precondition(method.kind == .unary, "\(method.fullName) is not unary")
    let decoder = decoder
    add(method.info) { io in
      let request = try io.decodeRequest(Request.self, decoder: decoder)
      let response = try await handler(request, io.context)
      try await io.finish(with: response)
    }
  }

  /// Registers a server-streaming handler: one request, any number of responses.
  public mutating func serverStreaming<Request, Response>(
    _ method: MethodDescriptor<Request, Response>,
    _ handler:
      @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
  ) {
    precondition(method.kind == .serverStreaming, "\(method.fullName) is not server-streaming")
    let decoder = decoder
    add(method.info) { io in
      let request = try io.decodeRequest(Request.self, decoder: decoder)
      try await handler(request, ResponseWriter(io: io), io.context)
    }
  }

  /// Registers a client-streaming handler: any number of requests, one response.
  public mutating func clientStreaming<Request, Response>(
    _ method: MethodDescriptor<Request, Response>,
    _ handler:
      @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
  ) {
    precondition(method.kind == .clientStreaming, "\(method.fullName) is not client-streaming")
    let decoder = decoder
    add(method.info) { io in
      let response = try await handler(RequestStream(io: io, decoder: decoder), io.context)
      try await io.finish(with: response)
    }
  }

  /// Registers a bidirectional-streaming handler.
  public mutating func bidirectionalStreaming<Request, Response>(
    _ method: MethodDescriptor<Request, Response>,
    _ handler:
      @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext)
      async throws -> Void
  ) {
    precondition(
      method.kind == .bidirectionalStreaming, "\(method.fullName) is not bidirectional")
    let decoder = decoder
    add(method.info) { io in
      try await handler(RequestStream(io: io, decoder: decoder), ResponseWriter(io: io), io.context)
    }
  }

  private mutating func add(
    _ info: MethodInfo, run: @escaping @Sendable (ServerCallIO) async throws -> Void
  ) {
    precondition(routes[info.fullName] == nil, "\(info.fullName) is registered twice")
    routes[info.fullName] = Route(info: info, run: run)
  }
}
