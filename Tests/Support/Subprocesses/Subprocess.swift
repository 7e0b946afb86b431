internal import CLinux
import Glibc
import Synchronization

/// A child process started with `posix_spawn`, for tests that run the built executables and
/// scripts.
///
/// Why not Foundation's `Process`: on Linux, `Process.run()` lists `/proc/self/fd` in the parent
/// (`findMaximumOpenFromProcSelfFD`) to close what the child would inherit, and copies each
/// entry's 256-byte name field whole. A parallel test run holds thousands of descriptors, and
/// one CI run died of SIGSEGV in that copy, which read past the end of the listing's buffer. Here
/// the child closes every descriptor above its standard streams itself, as a spawn action.
///
/// The child starts with no signals blocked and every signal at its default action. Pipes are
/// opened close-on-exec, so another child started meanwhile does not hold them open. A process
/// still running when its `Subprocess` is released is killed and reaped.
public final class Subprocess: Sendable {
  /// Where one of the child's standard streams goes.
  public enum Stream: Sendable {
    /// The test process's own descriptor.
    case inherit
    /// `/dev/null`.
    case null
    /// A new pipe; the test process's end is ``Subprocess/standardInput``,
    /// ``Subprocess/standardOutput`` or ``Subprocess/standardError``.
    case pipe
    /// A file: read for standard input; created or truncated, mode 0600, for output.
    case file(String)
  }

  /// How the child ended.
  public enum Termination: Equatable, Sendable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(Int32)
    /// This signal ended it.
    case signaled(Int32)
    /// Something else in the test process reaped it (`waitpid` failed with this errno), so how it
    /// ended is not known.
    case unobservable(errno: Int32)

    init(waitStatus status: Int32) {
      let signal = status & 0x7f
      self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    public var description: String {
      switch self {
      case .exited(let status): "exit status \(status)"
      case .signaled(let signal): "signal \(signal)"
      case .unobservable(let code): "not observable: waitpid failed with errno \(code)"
      }
    }
  }

  /// A system call that failed while starting the child.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String

    init(_ call: String, _ executable: String, code: Int32) {
      description = "\(call) for \(executable) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
  }

  public let pid: Int32
  /// The program's path, as given.
  public let executable: String
  /// The test process's end of a `.pipe` standard input, until ``closeStandardInput()``.
  public let standardInput: Int32?
  /// The test process's end of a `.pipe` standard output; closed when this object is released.
  public let standardOutput: Int32?
  /// The test process's end of a `.pipe` standard error; closed when this object is released.
  public let standardError: Int32?

  private struct State {
    var termination: Termination?
    var standardInputOpen: Bool
  }

  private let state: Mutex<State>

  /// Starts `executable` (a path; no `PATH` search) with `arguments` after the program name.
  ///
  /// - Parameters:
  ///   - environment: the child's whole environment; nil passes on the test process's.
  ///   - currentDirectory: where the child starts; nil keeps the test process's.
  /// - Throws: ``Failure`` when a pipe cannot be made or `posix_spawn` fails (for example, no
  ///   such executable).
  public init(
    executable: String, arguments: [String], environment: [String: String]? = nil,
    currentDirectory: String? = nil, standardInput: Stream = .null, standardOutput: Stream = .inherit,
    standardError: Stream = .inherit
  ) throws {
    self.executable = executable
    func check(_ result: Int32, _ action: String) throws {
      if result != 0 { throw Failure("posix_spawn_file_actions_\(action)", executable, code: result) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Both ends of every pipe: the child's are closed here once it has been started.
    var parentEnds: [Int32?] = [nil, nil, nil]
    var childEnds: [Int32] = []
    defer { for descriptor in childEnds { close(descriptor) } }
    do {
      for (target, stream) in [standardInput, standardOutput, standardError].enumerated() {
        let descriptor = Int32(target)
        switch stream {
        case .inherit:
          break
        case .null:
          try check(posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0), "addopen")
        case .file(let path):
          let flags = descriptor == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
          try check(posix_spawn_file_actions_addopen(&actions, descriptor, path, flags, 0o600), "addopen")
        case .pipe:
          var ends: [Int32] = [-1, -1]
          guard pipe2(&ends, O_CLOEXEC) == 0 else { throw Failure("pipe2", executable, code: errno) }
          let (parent, child) = descriptor == 0 ? (ends[1], ends[0]) : (ends[0], ends[1])
          parentEnds[target] = parent
          childEnds.append(child)
          // dup2 clears close-on-exec on the copy, so the child keeps exactly this one.
          try check(posix_spawn_file_actions_adddup2(&actions, child, descriptor), "adddup2")
        }
      }
      try check(posix_spawn_file_actions_addclosefrom_np(&actions, 3), "addclosefrom_np")
      if let currentDirectory {
        try check(posix_spawn_file_actions_addchdir_np(&actions, currentDirectory), "addchdir_np")
      }
      pid = try Self.spawn(executable, arguments, environment, &actions)
    } catch {
      for case let descriptor? in parentEnds { close(descriptor) }
      throw error
    }
    self.standardInput = parentEnds[0]
    self.standardOutput = parentEnds[1]
    self.standardError = parentEnds[2]
    state = Mutex(State(termination: nil, standardInputOpen: parentEnds[0] != nil))
  }

  private static func spawn(
    _ executable: String, _ arguments: [String], _ environment: [String: String]?,
    _ actions: inout posix_spawn_file_actions_t
  ) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    var allSignals = sigset_t()
    sigemptyset(&noSignals)
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var environmentStrings: [String] = []
    if let environment {
      environmentStrings = environment.map { "\($0.key)=\($0.value)" }
    } else {
      var entry = environ
      while let variable = entry.pointee {
        environmentStrings.append(String(cString: variable))
        entry += 1
      }
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environmentStrings.map { strdup($0) } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard result == 0 else { throw Failure("posix_spawn", executable, code: result) }
    return pid
  }

  deinit {
    if reap(blocking: false) == nil {
      kill(pid, SIGKILL)
      _ = reap(blocking: true)
    }
    closeStandardInput()
    for case let descriptor? in [standardOutput, standardError] { close(descriptor) }
  }

  /// Closes ``standardInput``, so the child reads end of file. Harmless when already closed.
  public func closeStandardInput() {
    let wasOpen = state.withLock { state in
      defer { state.standardInputOpen = false }
      return state.standardInputOpen
    }
    if wasOpen, let standardInput { close(standardInput) }
  }

  /// Writes all of `bytes` to ``standardInput``; false if the child closed its end first.
  ///
  /// SIGPIPE is blocked on the calling thread while it writes, and one it caused is taken back:
  /// a child that exits without reading its input must fail the write, not end the test process.
  @discardableResult
  public func writeToStandardInput(_ bytes: [UInt8]) -> Bool {
    guard let standardInput else { return false }
    var brokenPipe = sigset_t()
    var previousMask = sigset_t()
    var pending = sigset_t()
    sigemptyset(&brokenPipe)
    sigaddset(&brokenPipe, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &brokenPipe, &previousMask)
    sigpending(&pending)
    let alreadyPending = sigismember(&pending, SIGPIPE) == 1
    defer {
      sigpending(&pending)
      if !alreadyPending && sigismember(&pending, SIGPIPE) == 1 {
        var noWait = timespec()
        _ = sigtimedwait(&brokenPipe, nil, &noWait)
      }
      pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { write(standardInput, $0.baseAddress! + written, $0.count - written) }
      if count > 0 {
        written += count
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        return false
      }
    }
    return true
  }

  /// Whether the child has not ended yet (reaps it if it has).
  public var isRunning: Bool { reap(blocking: false) == nil }

  /// Sends `signal`; does nothing once the child has been reaped (its pid may be reused).
  public func signal(_ signal: Int32) {
    state.withLock { state in
      if state.termination == nil { kill(pid, signal) }
    }
  }

  /// Blocks the calling thread until the child ends.
  @discardableResult
  public func waitUntilExit() -> Termination {
    reap(blocking: true)!
  }

  /// Reaps the child if it ended. Blocking waits poll, so no lock is held while the child runs.
  @discardableResult
  private func reap(blocking: Bool) -> Termination? {
    while true {
      let result = state.withLock { state -> Termination? in
        if let termination = state.termination { return termination }
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, WNOHANG) } while reaped < 0 && errno == EINTR
        if reaped == 0 { return nil }
        state.termination = reaped == pid ? Termination(waitStatus: status) : .unobservable(errno: errno)
        return state.termination
      }
      if result != nil || !blocking { return result }
      usleep(2_000)
    }
  }
}
