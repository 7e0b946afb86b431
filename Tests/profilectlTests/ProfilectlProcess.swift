internal import Foundation

/// Runs the built `profilectl` as a child process, in an environment cleaned of the variables
/// that would point it at a real server.
enum ProfilectlProcess {
  /// The environment every run starts from: the test's own, without `PROFILED_*` and
  /// `XDG_RUNTIME_DIR`, so only what a test sets chooses the socket and token.
  static var baseEnvironment: [String: String] {
    ProcessInfo.processInfo.environment.filter { key, _ in
      !key.hasPrefix("PROFILED_") && key != "XDG_RUNTIME_DIR"
    }
  }

  /// Starts profilectl; for runs a test watches while they go on.
  static func start(
    _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
  ) throws -> ChildProcess {
    try ChildProcess(
      executable: try BuiltProducts.path(of: "profilectl"), arguments: arguments,
      environment: baseEnvironment.merging(environment) { _, new in new }, stdin: stdin)
  }

  /// Runs profilectl to the end.
  ///
  /// The timeout only catches a hung child: a full parallel test run on 2 loaded cores once took
  /// longer than 15 s to see a usage error's exit, so it is generous.
  ///
  /// - Throws: when it cannot start or does not exit within `timeout`.
  static func run(
    _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
    timeout: Duration = .seconds(60)
  ) async throws -> CommandResult {
    try await start(arguments, stdin: stdin, environment: environment).result(timeout: timeout)
  }
}
