import Synchronization
internal import WireFormat

/// A client of one server socket: typed calls of every kind, shared by many tasks at once.
///
/// Calls from any number of tasks are multiplexed on one connection and may complete in any
/// order. The connection is made on first use and made again after the server restarts or
/// drains: calls that were on the old connection fail with `UNAVAILABLE`, later calls use a new
/// one. Prefer ``withRPCClient(socketPath:configuration:_:)``, which scopes the lifetime.
public final class RPCClient: Sendable {
  public let socketPath: String
  public let configuration: ClientConfiguration
  /// Every client in the process shares this one event-loop thread, as the raw-socket
  /// benchmark client drives all its connections from one epoll thread.
  private static let sharedLoop = Result { try EventLoop(name: "rpc-client") }
  private let loop: EventLoop
  private let connection = Mutex<ClientConnection?>(nil)
  private let closed = Atomic<Bool>(false)
  private let encoder = BinaryEncoder()
  private let decoder = BinaryDecoder()

  /// Creates a client; nothing is connected until the first call.
  ///
  /// - Throws: a system error when the shared event-loop thread could not be started.
  public init(socketPath: String, configuration: ClientConfiguration = ClientConfiguration()) throws {
    self.socketPath = socketPath
    self.configuration = configuration
    self.loop = try Self.sharedLoop.get()
  }

  /// How long the event loop that every client in this process shares keeps polling its
  /// sockets without sleeping after it last had work: the client side of
  /// ``ServerConfiguration/busyPoll``, with the same trade of a core's time for not waiting on a
  /// thread wakeup when the next response comes soon. Zero, the default, sleeps at once; at most
  /// 10 ms is used. It applies to every client in the process, from the loop's next iteration.
  ///
  /// - Throws: a system error when the shared event-loop thread could not be started.
  public static func setBusyPoll(_ duration: Duration) throws {
    try sharedLoop.get().setBusyPoll(duration)
  }

  /// The shared loop's current ``setBusyPoll(_:)`` setting.
  public static var busyPoll: Duration {
    get throws { try sharedLoop.get().busyPoll }
  }

  /// The zero-timeout polls the shared loop made because of ``setBusyPoll(_:)``, so far.
  package static var busyPolls: Int {
    (try? sharedLoop.get())?.busyPolls ?? 0
  }

  deinit {
    if !closed.load(ordering: .relaxed) {
      connection.withLock { $0?.close() }
    }
  }

  /// The event loop the client's connections run on. Tasks that make many calls can run with
  /// this executor preference (`Task(executorPreference: client.executor)`): a response then
  /// resumes its caller on the thread that read it, saving a thread hop per call.
  public var executor: any TaskExecutor { loop }

  /// Closes the connection (calls still running fail with `UNAVAILABLE`); later calls fail.
  public func close() {
    guard !closed.exchange(true, ordering: .relaxed) else { return }
    let current = connection.withLock { slot -> ClientConnection? in
      defer { slot = nil }
      return slot
    }
    current?.close()
  }

  /// The current connection, made anew when there is none or it no longer takes calls.
  private func currentConnection() throws -> ClientConnection {
    guard !closed.load(ordering: .relaxed) else {
      throw RPCError(.unavailable, "the client is closed")
    }
    return try connection.withLock { slot in
      if let existing = slot, existing.acceptsCalls { return existing }
      let fresh = try ClientConnection(
        socketPath: socketPath, loop: loop, maxFrameSize: configuration.maxFrameSize,
        maxUnreadResponseBytes: configuration.maxUnreadResponseBytes)
      slot = fresh
      return fresh
    }
  }

  private func withDefaults(_ options: CallOptions) -> CallOptions {
    var options = options
    if options.timeout == nil { options.timeout = configuration.defaultTimeout }
    return options
  }

  private func encode<T: Encodable>(_ message: T) throws -> [UInt8] {
    do {
      return try encoder.encode(message)
    } catch {
      throw RPCError(.internal, "the request could not be encoded: \(error)")
    }
  }

  private func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
    do {
      return try decoder.decode(type, from: bytes)
    } catch {
      throw RPCError(.internal, "the response could not be decoded: \(error)")
    }
  }

  // MARK: - Calls

  /// Calls a unary method.
  ///
  /// - Throws: ``RPCError``: the server's status, `UNAVAILABLE` when no server listens,
  ///   `DEADLINE_EXCEEDED` when the timeout passes, `CANCELLED` when the task is cancelled.
  public func unary<Request, Response>(
    _ method: MethodDescriptor<Request, Response>, _ request: Request,
    options: CallOptions = CallOptions()
  ) async throws -> Response {
    let encoder = encoder
    let bytes = try await currentConnection().unary(
      method: method.fullName, options: withDefaults(options)
    ) { buffer in
      do {
        try encoder.encode(request, appendingTo: &buffer)
      } catch {
        throw RPCError(.internal, "the request could not be encoded: \(error)")
      }
    }
    return try decode(Response.self, bytes)
  }

  /// Calls a server-streaming method; the responses arrive on the returned sequence. Stopping
  /// the iteration early cancels the call.
  public func serverStreaming<Request, Response>(
    _ method: MethodDescriptor<Request, Response>, _ request: Request,
    options: CallOptions = CallOptions()
  ) -> ResponseStream<Response> {
    do {
      let payload = try encode(request)
      let (_, raw) = try currentConnection().startStream(
        method: method.fullName, options: withDefaults(options), request: payload)
      return ResponseStream(raw: raw, decoder: decoder)
    } catch {
      return ResponseStream(failure: error, decoder: decoder)
    }
  }

  /// Calls a client-streaming method: `requests` writes the messages; the call half-closes
  /// when it returns, then the single response is returned.
  public func clientStreaming<Request, Response>(
    _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
    requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void
  ) async throws -> Response {
    try await bidirectionalStreaming(method, options: options, requests: requests) { responses in
      var iterator = responses.makeAsyncIterator()
      guard let response = try await iterator.next() else {
        throw RPCError(.internal, "the server ended the call without a response message")
      }
      while try await iterator.next() != nil {}
      return response
    }
  }

  /// Calls a bidirectional-streaming method: `requests` runs concurrently with `responses`;
  /// the call half-closes when `requests` returns. Returns what `responses` returns.
  public func bidirectionalStreaming<Request, Response, Result: Sendable>(
    _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
    requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
    responses: (ResponseStream<Response>) async throws -> Result
  ) async throws -> Result {
    let connection = try currentConnection()
    let (callID, raw) = connection.startStream(
      method: method.fullName, options: withDefaults(options), request: nil)
    let writer = RequestWriter<Request>(connection: connection, callID: callID, encoder: encoder)
    let producer = Task {
      do {
        try await requests(writer)
        try connection.halfClose(callID: callID)
      } catch {
        connection.cancel(callID: callID)
        throw error
      }
    }
    do {
      let result = try await responses(ResponseStream(raw: raw, decoder: decoder))
      try await producer.value
      return result
    } catch {
      producer.cancel()
      connection.cancel(callID: callID)
      throw error
    }
  }

  /// Sends PING and returns the round-trip time.
  public func ping() async throws -> Duration {
    let start = ContinuousClock.now
    try await currentConnection().ping()
    return .now - start
  }
}

/// Runs `body` with a client for `socketPath` and closes it afterwards, also when `body` throws.
public func withRPCClient<Result: Sendable>(
  socketPath: String, configuration: ClientConfiguration = ClientConfiguration(),
  _ body: (RPCClient) async throws -> Result
) async throws -> Result {
  let client = try RPCClient(socketPath: socketPath, configuration: configuration)
  defer { client.close() }
  return try await body(client)
}

extension RPCClient {
  /// Calls `method` (`Service/Method`) with already-encoded request messages and hands each
  /// encoded response to `onResponse` as it arrives: for tools that learn the schema by
  /// reflection instead of compiling it in. All `requests` are sent (from a child task when there
  /// are several), then the call half-closes; the call ends before this returns.
  ///
  /// - Throws: the call's ``RPCError``; when sending a request failed, that failure rather
  ///   than the cancellation it caused.
  public func rawCall(
    method: String, requests: [[UInt8]], options: CallOptions = CallOptions(),
    onResponse: ([UInt8]) async throws -> Void
  ) async throws {
    let connection = try currentConnection()
    let single = requests.count == 1
    let (callID, responses) = connection.startStream(
      method: method, options: withDefaults(options), request: single ? requests[0] : nil)
    let failure = await withTaskGroup(of: (any Error)?.self) { group -> (any Error)? in
      if !single {
        group.addTask {
          do {
            for request in requests { try await connection.sendMessage(callID: callID, request) }
            try connection.halfClose(callID: callID)
            return nil
          } catch {
            connection.cancel(callID: callID)
            return error
          }
        }
      }
      var responseFailure: (any Error)?
      do {
        for try await bytes in responses { try await onResponse(bytes) }
      } catch {
        connection.cancel(callID: callID)
        responseFailure = error
      }
      var sendFailure: (any Error)?
      for await result in group where result != nil { sendFailure = result }
      return sendFailure ?? responseFailure
    }
    if let failure { throw failure }
  }
}
