internal import Foundation
internal import Glibc

/// How an ``RPCServer`` listens and what it allows.
public struct ServerConfiguration: Sendable {
  /// The Unix socket path (at most 107 bytes).
  public var socketPath: String
  /// Permission bits of the socket file; 0o660 lets the owner's group connect.
  public var socketMode: UInt32 = 0o660
  /// Peers allowed to call ``AccessPolicy/trustedCallersOnly`` methods. Defaults to the
  /// server's own uid.
  public var trustedUIDs: Set<UInt32> = [getuid()]
  /// Largest frame payload accepted, checked before anything is allocated for it.
  public var maxFrameSize: Int = Frame.defaultMaxPayloadSize
  /// Calls one connection may run at once; more are refused with `RESOURCE_EXHAUSTED`.
  public var maxConcurrentCallsPerConnection = 1024
  /// Open connections at once; more are told `RESOURCE_EXHAUSTED` in a GOAWAY and closed.
  public var maxConnections = 1024
  /// Event-loop threads; connections are spread over them.
  public var eventLoopCount = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
  /// How long a graceful shutdown lets calls in flight finish before cancelling them.
  public var shutdownGracePeriod: Duration = .seconds(10)
  /// Told about every call the server ends (one log line per call).
  public var callObserver: (@Sendable (CallRecord) -> Void)?

  public init(socketPath: String) {
    self.socketPath = socketPath
  }
}
