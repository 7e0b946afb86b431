internal import Glibc
internal import Synchronization

/// A server in a child process: this very binary (`/proc/self/exe`) re-executed with a hidden flag.
///
/// Only `withChild` creates one, and it always stops and reaps the child before returning or
/// throwing, so no server outlives its measurements. Two more guards cover a benchmark that
/// dies or hangs: the child ends itself once its parent is gone (`ParentWatch`), and the
/// `Watchdog` kills every running child through `killAllRunning()`.
///
/// The child's standard output goes to the benchmark's standard error, so the report on
/// standard output stays clean.
final class ChildServer {
  /// How long a child may take to accept its first connection.
  static let startTimeoutSeconds = 10.0
  /// How long a child may take to exit after `SIGTERM` before it gets `SIGKILL`.
  static let stopTimeoutSeconds = 3.0
  /// Environment variable carrying the benchmark's pid to the child (see `ParentWatch`).
  static let parentEnvironmentKey = "PROFILE_BENCH_PARENT_PID"

  /// Children spawned and not yet reaped, for the watchdog.
  private static let running = Mutex<Set<pid_t>>([])

  /// What the child is, for messages: "raw baseline server".
  let role: String
  let pid: pid_t
  let socketPath: String
  /// The wait status once reaped.
  private var waitStatus: Int32?

  private init(role: String, pid: pid_t, socketPath: String) {
    self.role = role
    self.pid = pid
    self.socketPath = socketPath
  }

  /// A socket path for a child of this process: `$TMPDIR` (or `/tmp`) and the benchmark's pid.
  static func temporarySocketPath(tag: String) -> String {
    let name = "profile-bench-\(getpid())-\(tag).sock"
    if let directory = getenv("TMPDIR").map({ String(cString: $0) }), !directory.isEmpty {
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      if path.utf8.count <= UnixSocket.maximumPathBytes { return path }
    }
    return "/tmp/" + name
  }

  /// Spawns `/proc/self/exe flag socketPath`, waits until it accepts connections on
  /// `socketPath`, runs `body`, then stops and reaps it.
  ///
  /// Throws when the child cannot start, exits early, or ends other than by the `SIGTERM` it is
  /// sent at the end (e.g. it crashed during `body`), and rethrows `body`'s error; in every case
  /// the child has been reaped and its socket file removed.
  static func withChild<Value>(
    role: String, flag: String, socketPath: String,
    _ body: (ChildServer) async throws -> Value
  ) async throws -> Value {
    let child = try spawn(role: role, arguments: [flag, socketPath], socketPath: socketPath)
    do {
      try child.waitUntilAccepting()
      let value = try await body(child)
      try child.stop()
      return value
    } catch {
      do {
        try child.stop()
      } catch let stopError {
        Console.progress("while stopping after an error: \(stopError)")
      }
      throw error
    }
  }

  /// Sends `SIGKILL` to every running child; for the watchdog, on its way out.
  static func killAllRunning() {
    running.withLock { pids in
      for pid in pids { kill(pid, SIGKILL) }
    }
  }

  /// The child's peak resident set size in KiB (`VmHWM`); call while it runs.
  func peakResidentKiB() throws -> Int {
    try ProcFS.peakResidentKiB(of: pid)
  }

  private static func spawn(role: String, arguments: [String], socketPath: String) throws
    -> ChildServer
  {
    var fileActions = posix_spawn_file_actions_t()
    var result = posix_spawn_file_actions_init(&fileActions)
    guard result == 0 else {
      throw BenchError.systemCall("posix_spawn_file_actions_init", code: result)
    }
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    result = posix_spawn_file_actions_adddup2(&fileActions, 2, 1)
    guard result == 0 else {
      throw BenchError.systemCall("posix_spawn_file_actions_adddup2", code: result)
    }

    // The caller may be a pool thread with signals blocked, and the child would inherit that
    // mask and ignore the SIGTERM that stops it: give it an empty mask and default actions.
    var attributes = posix_spawnattr_t()
    result = posix_spawnattr_init(&attributes)
    guard result == 0 else { throw BenchError.systemCall("posix_spawnattr_init", code: result) }
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    var defaultSignals = sigset_t()
    sigemptyset(&noSignals)
    sigemptyset(&defaultSignals)
    sigaddset(&defaultSignals, SIGTERM)
    sigaddset(&defaultSignals, SIGINT)
    result = posix_spawnattr_setsigmask(&attributes, &noSignals)
    guard result == 0 else { throw BenchError.systemCall("posix_spawnattr_setsigmask", code: result) }
    result = posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    guard result == 0 else {
      throw BenchError.systemCall("posix_spawnattr_setsigdefault", code: result)
    }
    result = posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    guard result == 0 else { throw BenchError.systemCall("posix_spawnattr_setflags", code: result) }

    let argumentStrings = [CommandLine.arguments.first ?? "profile-bench"] + arguments
    var environmentStrings = ["\(parentEnvironmentKey)=\(getpid())"]
    var entry = environ
    while let variable = entry.pointee {
      let text = String(cString: variable)
      if !text.hasPrefix(parentEnvironmentKey + "=") { environmentStrings.append(text) }
      entry += 1
    }
    let argv = argumentStrings.map { strdup($0) } + [nil]
    let envp = environmentStrings.map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    guard !argv.dropLast().contains(nil), !envp.dropLast().contains(nil) else {
      throw BenchError.systemCall("strdup", code: ENOMEM)
    }

    var pid = pid_t()
    let spawned = running.withLock { running -> Int32 in
      let spawned = posix_spawn(&pid, "/proc/self/exe", &fileActions, &attributes, argv, envp)
      if spawned == 0 { running.insert(pid) }
      return spawned
    }
    guard spawned == 0 else {
      throw BenchError.systemCall("posix_spawn", "/proc/self/exe for the \(role)", code: spawned)
    }
    return ChildServer(role: role, pid: pid, socketPath: socketPath)
  }

  private func waitUntilAccepting() throws {
    let deadline =
      MonotonicClock.nanoseconds() + MonotonicClock.nanoseconds(seconds: Self.startTimeoutSeconds)
    while true {
      if try reap(blocking: false) {
        throw BenchError.childProcess(
          "the \(role) (pid \(pid)) exited before accepting connections: "
            + "\(Self.describe(waitStatus ?? 0)); its own message, if any, is above")
      }
      do {
        let probe = try UnixSocket.connect(path: socketPath, nonBlocking: false)
        close(probe)
        return
      } catch {
        if MonotonicClock.nanoseconds() > deadline {
          throw BenchError.timeout(
            "the \(role) (pid \(pid)) did not accept connections on \(socketPath) within "
              + "\(Self.startTimeoutSeconds) s; last attempt: \(error)")
        }
      }
      usleep(10_000)
    }
  }

  /// Sends `SIGTERM`, waits (bounded), falls back to `SIGKILL`, reaps, removes the socket file.
  /// Does nothing once reaped; throws if the child had ended by itself or ignored `SIGTERM`.
  private func stop() throws {
    guard waitStatus == nil else { return }
    if try reap(blocking: false) {
      try? UnixSocket.removeStaleSocketFile(socketPath)
      throw BenchError.childProcess(
        "the \(role) (pid \(pid)) ended during the run: \(Self.describe(waitStatus ?? 0))")
    }
    guard kill(pid, SIGTERM) == 0 else {
      let code = errno
      _ = try? reap(blocking: true)
      throw BenchError.systemCall("kill", "SIGTERM to the \(role), pid \(pid)", code: code)
    }
    let deadline =
      MonotonicClock.nanoseconds() + MonotonicClock.nanoseconds(seconds: Self.stopTimeoutSeconds)
    var killed = false
    while try !reap(blocking: false) {
      if !killed && MonotonicClock.nanoseconds() > deadline {
        kill(pid, SIGKILL)
        killed = true
        _ = try reap(blocking: true)
        break
      }
      usleep(5_000)
    }
    try? UnixSocket.removeStaleSocketFile(socketPath)
    let status = waitStatus ?? 0
    if killed {
      throw BenchError.childProcess(
        "the \(role) (pid \(pid)) ignored SIGTERM for \(Self.stopTimeoutSeconds) s; killed")
    }
    let terminatedAsAsked = status & 0x7f == SIGTERM
    let exitedCleanly = status & 0x7f == 0 && (status >> 8) & 0xff == 0
    guard terminatedAsAsked || exitedCleanly else {
      throw BenchError.childProcess(
        "the \(role) (pid \(pid)) ended badly when stopped: \(Self.describe(status))")
    }
  }

  /// Collects the child's exit status if it has ended (or, when `blocking`, once it ends);
  /// returns whether it has been reaped.
  private func reap(blocking: Bool) throws -> Bool {
    if waitStatus != nil { return true }
    var status: Int32 = 0
    while true {
      let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
      if result == pid {
        waitStatus = status
        _ = Self.running.withLock { $0.remove(pid) }
        return true
      }
      if result == 0 { return false }
      let code = errno
      if code == EINTR { continue }
      throw BenchError.systemCall("waitpid", "the \(role), pid \(pid)", code: code)
    }
  }

  /// "exit status 1", "killed by signal 11 (core dumped)".
  private static func describe(_ status: Int32) -> String {
    let signal = status & 0x7f
    if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
    return "killed by signal \(signal)" + (status & 0x80 != 0 ? " (core dumped)" : "")
  }
}
