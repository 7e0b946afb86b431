internal import WireFormat

/// The payload of a trailer frame: how a call ended.
package struct Trailer: Codable, Sendable, Equatable {
  package var code: StatusCode
  package var message: String
  package var details: ErrorDetails?
  package var metadata: Metadata

  package init(code: StatusCode, message: String, details: ErrorDetails?, metadata: Metadata) {
    self.code = code
    self.message = message
    self.details = details
    self.metadata = metadata
  }

  package init(_ error: RPCError) {
    self.init(
      code: error.code, message: error.message,
      details: error.details.isEmpty ? nil : error.details, metadata: error.metadata)
  }

  package static let ok = Trailer(code: .ok, message: "", details: nil, metadata: [:])

  /// The encoding of ``ok``, made once: most calls end with it, so neither side encodes or
  /// decodes it per call.
  package static let okPayload: [UInt8] = (try? BinaryEncoder().encode(Trailer.ok)) ?? []

  /// True for a plain OK trailer (no message, details or metadata).
  package var isPlainOK: Bool {
    code == .ok && message.isEmpty && details == nil && metadata.isEmpty
  }

  package var error: RPCError {
    RPCError(code, message, details: details ?? ErrorDetails(), metadata: metadata)
  }

  enum CodingKeys: Int, CodingKey { case code = 1, message = 2, details = 3, metadata = 4 }
}
