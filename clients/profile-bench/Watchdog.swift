internal import Glibc

/// Bounds the whole run: a call that never returns must not leave the benchmark (and its
/// servers) hanging forever.
enum Watchdog {
  /// Starts a thread that, after `seconds`, kills the child servers and ends the process with
  /// status 3. There is no disarming: the process is expected to have exited by then.
  static func arm(seconds: Int) throws {
    try DedicatedThread.start {
      var request = timespec(tv_sec: seconds, tv_nsec: 0)
      var remaining = timespec()
      while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
      Console.error(
        "profile-bench: the run exceeded its time limit of \(seconds) s (a call or a server "
          + "hangs); killing the servers and exiting with status 3")
      ChildServer.killAllRunning()
      _exit(3)
    }
  }
}
