internal import WireFormat

/// The responses of a streaming call, decoded as they arrive. Ends when the server's trailer
/// says OK; throws the ``RPCError`` of any other status.
public struct ResponseStream<Response: Decodable & Sendable>: AsyncSequence, Sendable {
  public typealias Element = Response
  private let raw: ResponseBytes
  private let decoder: BinaryDecoder

  init(raw: ResponseBytes, decoder: BinaryDecoder) {
    self.raw = raw
    self.decoder = decoder
  }

  init(failure: any Error, decoder: BinaryDecoder) {
    self.raw = ResponseBytes(failure: failure)
    self.decoder = decoder
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    var base: ResponseBytes.AsyncIterator
    let decoder: BinaryDecoder

    public mutating func next() async throws -> Response? {
      guard let bytes = try await base.next() else { return nil }
      do {
        return try decoder.decode(Response.self, from: bytes)
      } catch {
        throw RPCError(.internal, "a response could not be decoded: \(error)")
      }
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: raw.makeAsyncIterator(), decoder: decoder)
  }
}

/// Sends the requests of a client- or bidirectional-streaming call.
public struct RequestWriter<Request: Encodable & Sendable>: Sendable {
  let connection: ClientConnection
  let callID: UInt32
  let encoder: BinaryEncoder

  /// Sends one request; suspends while the connection's outbound buffer is full.
  ///
  /// - Throws: `CANCELLED` when the call has ended.
  public func write(_ request: Request) async throws {
    let payload: [UInt8]
    do {
      payload = try encoder.encode(request)
    } catch {
      throw RPCError(.internal, "the request could not be encoded: \(error)")
    }
    try await connection.sendMessage(callID: callID, payload)
  }
}
