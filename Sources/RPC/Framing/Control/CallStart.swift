/// The payload of a call-start frame: which method, the metadata and the timeout.
package struct CallStart: Codable, Sendable, Equatable {
  /// `Service/Method`.
  package var method: String
  package var metadata: Metadata
  /// How long the call may run, in microseconds from when the server reads this frame.
  package var timeoutMicroseconds: Int64?

  package init(method: String, metadata: Metadata, timeoutMicroseconds: Int64?) {
    self.method = method
    self.metadata = metadata
    self.timeoutMicroseconds = timeoutMicroseconds
  }

  enum CodingKeys: Int, CodingKey { case method = 1, metadata = 2, timeoutMicroseconds = 3 }
}
