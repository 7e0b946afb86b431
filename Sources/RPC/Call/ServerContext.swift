/// What a handler knows about the call it serves: method, metadata, deadline and peer.
public struct ServerContext: Sendable {
  /// The method's full name, `Service/Method`.
  public let method: String
  /// The metadata the client sent with the call start.
  public let metadata: Metadata
  /// When the call must be finished, if the client set a timeout. The server cancels the
  /// handler's task when it passes.
  public let deadline: ContinuousClock.Instant?
  /// The kernel-verified identity of the calling process.
  public let peer: PeerCredentials
  /// The `request-id` metadata value, or one the server generated.
  public var requestID: String {
    switch requestIDSource {
    case .given(let id): id
    case .generated(let prefix, let number): "\(prefix)-\(number)"
    }
  }

  /// Where the request id comes from; a generated one is formatted only when someone reads it.
  package enum RequestIDSource: Sendable {
    case given(String)
    case generated(prefix: String, number: UInt64)
  }

  private let requestIDSource: RequestIDSource

  public init(
    method: String, metadata: Metadata, deadline: ContinuousClock.Instant?,
    peer: PeerCredentials, requestID: String
  ) {
    self.init(method: method, metadata: metadata, deadline: deadline, peer: peer, requestIDSource: .given(requestID))
  }

  package init(
    method: String, metadata: Metadata, deadline: ContinuousClock.Instant?,
    peer: PeerCredentials, requestIDSource: RequestIDSource
  ) {
    self.method = method
    self.metadata = metadata
    self.deadline = deadline
    self.peer = peer
    self.requestIDSource = requestIDSource
  }

  /// Time left before the deadline, or `nil` when the call has none.
  public var remaining: Duration? {
    deadline.map { $0 - ContinuousClock.now }
  }

  /// The context of the handler running in the current task, if any. Client calls made inside
  /// a handler read it to propagate the deadline.
  @TaskLocal public static var current: ServerContext?
}
