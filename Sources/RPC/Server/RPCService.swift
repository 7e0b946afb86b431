/// A set of handlers a server serves, registered by method descriptor.
public protocol RPCService: Sendable {
  /// Registers a handler for each method of the service.
  func register(with router: inout RPCRouter)
}

/// Told about every call a server finishes: the place for the one log line per call.
public struct CallRecord: Sendable {
  /// The call's request id: the caller's `request-id` metadata, or the one the server generated
  /// (formatted only when read, so an observer that does not log the call does not pay for it).
  public var requestID: String { requestIDSource.formatted }
  let requestIDSource: ServerContext.RequestIDSource
  public let method: String
  public let code: StatusCode
  public let message: String
  public let duration: Duration
  public let peer: PeerCredentials
  /// For a call whose handler threw an error with an ``RPCError/cause``: that cause. Every error
  /// that is not an ``RPCError`` has one (its description; the call ends `UNKNOWN`), and so do
  /// errors that chose a status but have internals worth a log line (a full disk). The caller
  /// only sees the request id; this is where the cause survives, for the server's log. Nil for
  /// every other call.
  public let cause: String?
}

/// Runs before every handler and may refuse the call by throwing (an ``RPCError`` chooses the
/// status the caller sees).
public protocol ServerInterceptor: Sendable {
  func intercept(context: ServerContext, method: MethodInfo) async throws
}

/// Refuses methods marked ``AccessPolicy/trustedCallersOnly`` to peers whose kernel-verified uid
/// is not trusted, with `PERMISSION_DENIED`.
public struct TrustedCallersInterceptor: ServerInterceptor {
  public let trustedUIDs: Set<UInt32>

  public init(trustedUIDs: Set<UInt32>) {
    self.trustedUIDs = trustedUIDs
  }

  public func intercept(context: ServerContext, method: MethodInfo) async throws {
    if let refusal = refusal(of: context.peer, for: method) { throw refusal }
  }

  /// The error for `peer` calling `method`, or nil when the call may go ahead. Synchronous, so a
  /// server can refuse before it starts a handler task.
  public func refusal(of peer: PeerCredentials, for method: MethodInfo) -> RPCError? {
    guard method.access == .trustedCallersOnly, !trustedUIDs.contains(peer.uid) else { return nil }
    return RPCError(
      .permissionDenied,
      "\(method.fullName) is for trusted callers only; uid \(peer.uid) is not trusted")
  }
}
