/// The payload of a goaway frame: the sender takes no call after `lastCallID`.
///
/// A server sends it to drain before shutdown (code OK) or, with an error code, just before it
/// closes a connection that broke the protocol or a limit.
package struct GoAway: Codable, Sendable, Equatable {
  package var lastCallID: UInt32
  package var code: StatusCode
  package var message: String

  package init(lastCallID: UInt32, code: StatusCode, message: String) {
    self.lastCallID = lastCallID
    self.code = code
    self.message = message
  }

  enum CodingKeys: Int, CodingKey { case lastCallID = 1, code = 2, message = 3 }
}
