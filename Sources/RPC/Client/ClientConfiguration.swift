/// How an ``RPCClient`` connects.
public struct ClientConfiguration: Sendable {
  /// Largest frame payload the client accepts from the server.
  public var maxFrameSize: Int = Frame.defaultMaxPayloadSize
  /// Timeout for calls whose options set none (and that inherit no handler deadline).
  public var defaultTimeout: Duration?

  public init(maxFrameSize: Int = 4 << 20, defaultTimeout: Duration? = nil) {
    self.maxFrameSize = maxFrameSize
    self.defaultTimeout = defaultTimeout
  }
}
