public import WireFormat

/// The table of handlers a server dispatches calls to, by `Service/Method`.
public struct RPCRouter: Sendable {
  /// A method and its handler. A class: every call holds its route, and one reference is one
  /// retain where the fields would be several.
  package final class Route: Sendable {
    /// What a handler task runs for one call.
    package typealias Body = @Sendable (ServerCallIO) async throws -> Void
    /// The synchronous start of a call (see ``RPCRouter/unary(_:immediately:)``): nil when it
    /// ended the call, else what is left for a task.
    package typealias ImmediateBody = @Sendable (ServerCallIO) throws -> Body?

    package let info: MethodInfo
    package let run: Body
    /// Set for handlers registered to run on the loop thread; the server runs this instead of
    /// ``run`` when no interceptor has to run first and the connection has room for the answer.
    package let immediate: ImmediateBody?

    init(info: MethodInfo, run: @escaping Body, immediate: ImmediateBody? = nil) {
      self.info = info
      self.run = run
      self.immediate = immediate
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

  /// Registers a unary handler that never suspends: it runs on the connection's event-loop
  /// thread as soon as its request has arrived, with no task around it, which saves a task's
  /// creation, scheduling and teardown per call. For answers computed from memory (health,
  /// echo, reflection). A handler that reads a file or a database, or waits for a lock held
  /// for long, stalls every connection on its loop while it runs: register those with
  /// ``unary(_:_:)``, or answer only the fast case here with
  /// ``unary(_:immediately:otherwise:)``.
  ///
  /// The handler gets the call's context as its argument; ``ServerContext/current`` is not
  /// bound while it runs (it carries deadlines into client calls, which a synchronous handler
  /// cannot make). When the server has interceptors, which may suspend, or the connection's
  /// outbound buffer is full, the call runs in a task like any other, after them or once
  /// there is room.
  public mutating func unary<Request, Response>(
    _ method: MethodDescriptor<Request, Response>,
    immediately handler: @escaping @Sendable (Request, ServerContext) throws -> Response
  ) {
    precondition(method.kind == .unary, "\(method.fullName) is not unary")
    let decoder = decoder
    addImmediate(method.info) { io in
      let request = try io.decodeRequest(Request.self, decoder: decoder)
      try io.finishNow(with: try handler(request, io.context))
      return nil
    }
  }

  /// Registers a unary handler with a synchronous fast path: `immediately` runs on the loop
  /// thread as ``unary(_:immediately:)`` describes and answers when it can (a cache hit, say);
  /// when it returns nil, `handler` runs in a task with the same request, as with
  /// ``unary(_:_:)``. An error either throws ends the call.
  public mutating func unary<Request, Response>(
    _ method: MethodDescriptor<Request, Response>,
    immediately: @escaping @Sendable (Request, ServerContext) throws -> Response?,
    otherwise handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
  ) {
    precondition(method.kind == .unary, "\(method.fullName) is not unary")
    let decoder = decoder
    addImmediate(method.info) { io in
      let request = try io.decodeRequest(Request.self, decoder: decoder)
      if let response = try immediately(request, io.context) {
        try io.finishNow(with: response)
        return nil
      }
      return { io in try await io.finish(with: try await handler(request, io.context)) }
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

  private mutating func add(_ info: MethodInfo, run: @escaping Route.Body, immediate: Route.ImmediateBody? = nil) {
    precondition(routes[info.fullName] == nil, "\(info.fullName) is registered twice")
    routes[info.fullName] = Route(info: info, run: run, immediate: immediate)
  }

  /// Registers a route whose calls start with `immediate`. In a task (after interceptors, or
  /// while the outbound buffer is full) it runs once there is room for its answer.
  private mutating func addImmediate(_ info: MethodInfo, immediate: @escaping Route.ImmediateBody) {
    add(info, run: { io in
      try await io.connection.channel.waitForRoom()
      if let rest = try immediate(io) { try await rest(io) }
    }, immediate: immediate)
  }
}
