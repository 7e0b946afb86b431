/// The first frame on a connection, sent by each side: magic, protocol version and limits.
package struct Hello: Codable, Sendable, Equatable {
  package static let magic = "profiled-rpc"
  package static let currentVersion: UInt32 = 1

  package var magic: String
  package var version: UInt32
  /// The largest frame payload the sender accepts.
  package var maxFrameSize: UInt32?
  /// The most calls the server runs at once on this connection.
  package var maxConcurrentCalls: UInt32?

  package init(
    magic: String = Hello.magic, version: UInt32 = Hello.currentVersion,
    maxFrameSize: UInt32? = nil, maxConcurrentCalls: UInt32? = nil
  ) {
    self.magic = magic
    self.version = version
    self.maxFrameSize = maxFrameSize
    self.maxConcurrentCalls = maxConcurrentCalls
  }

  enum CodingKeys: Int, CodingKey {
    case magic = 1, version = 2, maxFrameSize = 3, maxConcurrentCalls = 4
  }
}
