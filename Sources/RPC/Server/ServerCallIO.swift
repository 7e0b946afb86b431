package import WireFormat

/// What a running handler uses to read its requests and write its responses: the engine behind
/// ``ResponseWriter`` and ``RequestStream``.
package struct ServerCallIO: Sendable {
  package let connection: ServerConnection
  package let callID: UInt32
  package let context: ServerContext
  /// The one request of a unary or server-streaming call.
  package let request: [UInt8]?
  /// The requests of a client- or bidirectional-streaming call.
  package let inbox: MessageQueue?

  package func decodeRequest<T: Decodable>(_ type: T.Type, decoder: BinaryDecoder) throws -> T {
    guard let request else {
      throw RPCError(.internal, "the call has no single request message")
    }
    do {
      return try decoder.decode(type, from: request)
    } catch {
      throw RPCError(.invalidArgument, "malformed request message: \(error)")
    }
  }

  package func send<T: Encodable>(_ message: T) async throws {
    try await connection.sendMessage(callID: callID, message)
  }

  /// Sends the single response and ends the call with OK (see
  /// ``ServerConnection/finishWithResponse(callID:_:)``). Inlined: a forwarding async call
  /// would cost a frame in the handler's task.
  @inline(__always)
  package func finish<T: Encodable>(with message: T) async throws {
    try await connection.finishWithResponse(callID: callID, message)
  }

  /// ``finish(with:)`` without waiting for room in the outbound buffer: for handlers that run
  /// on the loop thread, which the server starts only while there is room.
  package func finishNow<T: Encodable>(with message: T) throws {
    try connection.finishWithResponseNow(callID: callID, message)
  }
}

/// Sends the responses of a streaming call, in order. Suspends while the connection's outbound
/// buffer is full, so a slow client slows the handler instead of growing memory.
public struct ResponseWriter<Response: Encodable & Sendable>: Sendable {
  let io: ServerCallIO

  /// Sends one message.
  ///
  /// - Throws: `CANCELLED` when the call has ended (deadline, cancel, disconnect).
  public func write(_ message: Response) async throws {
    try await io.send(message)
  }
}

/// The requests of a client- or bidirectional-streaming call, decoded as they arrive. Ends when
/// the client half-closes; throws when the call is cancelled or a message is malformed.
public struct RequestStream<Request: Decodable & Sendable>: AsyncSequence, Sendable {
  public typealias Element = Request
  let io: ServerCallIO
  let decoder: BinaryDecoder

  public struct AsyncIterator: AsyncIteratorProtocol {
    let io: ServerCallIO
    let decoder: BinaryDecoder

    public mutating func next() async throws -> Request? {
      guard let bytes = try await io.inbox?.next() else { return nil }
      io.connection.handlerRead(callID: io.callID, size: bytes.count)
      do {
        return try decoder.decode(Request.self, from: bytes)
      } catch {
        throw RPCError(.invalidArgument, "malformed request message: \(error)")
      }
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(io: io, decoder: decoder)
  }
}
