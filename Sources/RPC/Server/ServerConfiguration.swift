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
  /// Event-loop threads; connections are spread over them. Default: ``defaultEventLoopCount``.
  public var eventLoopCount = ServerConfiguration.defaultEventLoopCount

  /// Half the active processors, from 1 to 4: the callers share this host (a Unix socket has
  /// both ends on it), and so do the store's threads.
  ///
  /// A loop that is mostly idle sleeps in `epoll_wait`, and every frame sent to it then costs the
  /// sender a wakeup. On 2 cores, in two alternating runs each, profile-bench's 64-connection
  /// echo ran at about 89,000 calls/s with one loop and 40,000 to 59,000 with two, and durable
  /// UpdateProfile writes at 64 callers at 16,400-17,500/s against 14,100-14,800/s.
  public static var defaultEventLoopCount: Int {
    max(1, min(4, ProcessInfo.processInfo.activeProcessorCount / 2))
  }
  /// How long each event loop keeps polling its sockets without sleeping after it last had
  /// work; zero (the default) sleeps at once.
  ///
  /// Waking a sleeping thread is what a lone call waits for most, on a virtual machine above all.
  /// Polling trades up to this much of a core's time after each burst of calls for not needing
  /// that wakeup when the next call comes within it. Worth it when latency matters more than
  /// the CPU time of an otherwise idle server. At most 10 ms is used.
  public var busyPoll: Duration = .zero
  /// How long a graceful shutdown lets calls in flight finish before cancelling them.
  public var shutdownGracePeriod: Duration = .seconds(10)
  /// How long a new connection has to send its HELLO; then it gets GOAWAY `DEADLINE_EXCEEDED`
  /// and is closed, so silent connections cannot hold the server's connection slots.
  public var helloTimeout: Duration = .seconds(10)
  /// Told about every call the server ends (one log line per call).
  public var callObserver: (@Sendable (CallRecord) -> Void)?

  public init(socketPath: String) {
    self.socketPath = socketPath
  }
}
