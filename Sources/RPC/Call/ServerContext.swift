/// What a handler knows about the call it serves: method, metadata, deadline and peer.
public struct ServerContext: Sendable {
  /// The method's full name, `Service/Method`.
  public var method: String { storage.method }
  /// The metadata the client sent with the call start.
  public var metadata: Metadata { storage.metadata }
  /// When the call must be finished, if the client set a timeout. The server cancels the
  /// handler's task when it passes.
  public var deadline: ContinuousClock.Instant? { storage.deadline }
  /// The kernel-verified identity of the calling process.
  public var peer: PeerCredentials { storage.peer }
  /// The `request-id` metadata value, or one the server generated.
  public var requestID: String { requestIDSource.formatted }

  /// Where the request id comes from; a generated one is formatted only when someone reads it.
  package enum RequestIDSource: Sendable {
    case given(String)
    case generated(prefix: String, number: UInt64)

    var formatted: String {
      switch self {
      case .given(let id): id
      case .generated(let prefix, let number): "\(prefix)-\(number)"
      }
    }
  }

  var requestIDSource: RequestIDSource { storage.requestIDSource }

  /// The fields, immutable and shared: a context is copied several times per call (into the
  /// handler's task, its task-local binding, the call IO), and one reference is one retain.
  ///
  /// Not final: the server's record of a call in flight extends it, so a call's context costs
  /// no allocation of its own.
  package class Storage: @unchecked Sendable {
    // @unchecked: every field here is a `let`; a subclass guards its own mutable state.
    package let method: String
    package let metadata: Metadata
    package let deadline: ContinuousClock.Instant?
    package let peer: PeerCredentials
    package let requestIDSource: RequestIDSource

    package init(
      method: String, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: PeerCredentials,
      requestIDSource: RequestIDSource
    ) {
      self.method = method
      self.metadata = metadata
      self.deadline = deadline
      self.peer = peer
      self.requestIDSource = requestIDSource
    }
  }

  private let storage: Storage

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
    storage = Storage(
      method: method, metadata: metadata, deadline: deadline, peer: peer, requestIDSource: requestIDSource)
  }

  /// A context over `storage`, typically a record of the call that also carries its fields.
  package init(storage: Storage) {
    self.storage = storage
  }

  /// Time left before the deadline, or `nil` when the call has none.
  public var remaining: Duration? {
    deadline.map { $0 - ContinuousClock.now }
  }

  /// The context of the handler running in the current task, if any. Client calls made inside
  /// a handler read it to propagate the deadline.
  @TaskLocal public static var current: ServerContext?
}
