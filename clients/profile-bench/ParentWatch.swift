internal import Glibc

/// Lets a child server notice that the benchmark which started it is gone.
///
/// When a process dies, Linux gives its children a new parent (init or a subreaper), so
/// `getppid()` differing from the benchmark's pid means nobody will stop this server: it should
/// end by itself. The benchmark passes its pid in `ChildServer.parentEnvironmentKey`; a server
/// started by hand takes its parent at startup instead.
enum ParentWatch {
  /// How often the watching thread looks.
  static let pollIntervalMicroseconds: UInt32 = 250_000

  /// The process that is expected to stay the parent.
  private static let expectedParent: pid_t = {
    if let text = getenv(ChildServer.parentEnvironmentKey), let pid = pid_t(String(cString: text)) {
      return pid
    }
    return getppid()
  }()

  /// Whether the benchmark that started this process has exited.
  static var parentHasExited: Bool {
    getppid() != expectedParent
  }

  /// Fixes the expected parent; call first thing in a child mode, before any waiting.
  static func recordParent() {
    _ = expectedParent
  }

  /// Starts a thread that ends this process (status 0) once the parent has exited; for servers
  /// whose loop the benchmark does not own, such as the RPC server.
  static func exitWhenParentExits() throws {
    recordParent()
    try DedicatedThread.start {
      while !parentHasExited { usleep(pollIntervalMicroseconds) }
      Console.error("profile-bench child \(getpid()): the benchmark is gone; exiting")
      _exit(0)
    }
  }
}
