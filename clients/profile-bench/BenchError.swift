internal import Glibc

/// A failure of the benchmark itself, worded for the person running it.
///
/// A struct over a private enum, so kinds can be added without breaking any `switch`.
/// System-call failures carry the call, what it was applied to, and `strerror` of the code.
struct BenchError: Error, CustomStringConvertible {
  private enum Kind: Sendable {
    case usage
    case systemCall
    case protocolViolation
    case timeout
    case childProcess
    case notWired
  }

  private let kind: Kind
  /// The complete, human-readable explanation.
  let description: String

  private init(_ kind: Kind, _ description: String) {
    self.kind = kind
    self.description = description
  }

  /// Whether the command line was wrong (exit status 64), rather than the run.
  var isUsage: Bool {
    if case .usage = kind { return true }
    return false
  }

  /// The command line cannot be understood.
  static func usage(_ message: String) -> BenchError {
    BenchError(.usage, message)
  }

  /// A system call failed with `code` (an `errno` value, or the return value of calls such
  /// as `posix_spawn` that return their error). Read `errno` at the call site, right after the call.
  static func systemCall(_ call: String, _ subject: String? = nil, code: Int32) -> BenchError {
    let what = subject.map { "\(call)(\($0))" } ?? call
    let reason = String(cString: strerror(code))
    return BenchError(.systemCall, "\(what) failed: \(reason) (errno \(code))")
  }

  /// A peer sent bytes that do not follow the protocol.
  static func protocolViolation(_ message: String) -> BenchError {
    BenchError(.protocolViolation, message)
  }

  /// Something that should have happened within a bounded time did not.
  static func timeout(_ message: String) -> BenchError {
    BenchError(.timeout, message)
  }

  /// A child server could not be started, or ended when it should not have.
  static func childProcess(_ message: String) -> BenchError {
    BenchError(.childProcess, message)
  }

  /// The RPC side of the benchmark has not been connected to the runtime yet.
  static func notWired(_ function: String) -> BenchError {
    BenchError(
      .notWired,
      "RPCScenarios.\(function) is not wired yet: fill it in clients/profile-bench/RPCScenarios.swift")
  }
}
