/// Per-call options on the client.
public struct CallOptions: Sendable {
  /// How long the call may take. Sent to the server, which cancels the handler when it passes;
  /// the client also gives up locally. When `nil`, a call made inside a server handler inherits
  /// what remains of that handler's deadline.
  public var timeout: Duration?
  /// Metadata sent with the call start.
  public var metadata: Metadata

  public init(timeout: Duration? = nil, metadata: Metadata = [:]) {
    self.timeout = timeout
    self.metadata = metadata
  }
}
