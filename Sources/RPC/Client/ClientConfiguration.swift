/// How an ``RPCClient`` connects.
public struct ClientConfiguration: Sendable {
  /// Largest frame payload the client accepts from the server.
  public var maxFrameSize: Int = Frame.defaultMaxPayloadSize
  /// Timeout for calls whose options set none (and that inherit no handler deadline).
  public var defaultTimeout: Duration?
  /// Bytes of responses one streaming call may hold unread; when the server sends faster than
  /// the caller reads past this, the call is cancelled and its stream throws
  /// `RESOURCE_EXHAUSTED`, instead of the client buffering without bound.
  public var maxUnreadResponseBytes = ClientConfiguration.defaultMaxUnreadResponseBytes

  /// The default of ``maxUnreadResponseBytes``: 64 MiB.
  public static let defaultMaxUnreadResponseBytes = 64 << 20

  public init(
    maxFrameSize: Int = 4 << 20, defaultTimeout: Duration? = nil,
    maxUnreadResponseBytes: Int = ClientConfiguration.defaultMaxUnreadResponseBytes
  ) {
    self.maxFrameSize = maxFrameSize
    self.defaultTimeout = defaultTimeout
    self.maxUnreadResponseBytes = maxUnreadResponseBytes
  }
}
