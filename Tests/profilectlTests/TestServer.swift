internal import Foundation

/// A `profiled` of its own for one test, on a short socket path in a fresh directory under
/// /tmp, logging at debug level so tests can read the one line it logs per call.
final class TestServer: Sendable {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The temporary directory: data directory and socket directory at once.
  let directory: String
  let socketPath: String
  private let child: ChildProcess

  /// Runs `body` with a started server, then stops it and removes its directory, also when
  /// `body` throws.
  static func with<Result>(
    socketName: String = "s.sock", arguments: [String] = [],
    _ body: (TestServer) async throws -> Result
  ) async throws -> Result {
    let server = try await TestServer(socketName: socketName, arguments: arguments)
    do {
      let result = try await body(server)
      await server.stop()
      return result
    } catch {
      await server.stop()
      throw error
    }
  }

  /// Starts profiled and waits, at most 60 seconds (a loaded parallel run can stall a child's
  /// start for tens of seconds), until it says it is listening.
  ///
  /// - Throws: ``Failure`` with the server's output when it exits or stays silent.
  init(socketName: String = "s.sock", arguments: [String] = []) async throws {
    var template = Array("/tmp/pctl.XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else {
      throw Failure(description: "mkdtemp failed with errno \(errno)")
    }
    directory = String(cString: created)
    socketPath = directory + "/" + socketName
    do {
      child = try ChildProcess(
        executable: try BuiltProducts.path(of: "profiled"),
        arguments: ["--socket", socketPath, "--data-dir", directory, "--log-level", "debug",
          "--shutdown-grace", "1"] + arguments,
        environment: ProfilectlProcess.baseEnvironment)
    } catch {
      try? FileManager.default.removeItem(atPath: directory)
      throw error
    }
    let child = self.child
    let ready = await child.wait(upTo: .seconds(60)) {
      child.stdout.contains("profiled listening on") || !child.isRunning
    }
    guard ready, child.isRunning else {
      await stop()
      throw Failure(
        description: "profiled did not start listening on \(socketPath) "
          + "(\(ready ? "it exited" : "no listening line within 60 s"))\n"
          + "--- stdout\n\(child.stdout)--- stderr\n\(child.stderr)---")
    }
  }

  /// What the server logged so far.
  var log: String { child.stderr }

  /// Waits up to 30 seconds for a log line containing every one of `parts`; returns it.
  func logLine(containing parts: [String]) async -> String? {
    var found: String?
    _ = await child.wait(upTo: .seconds(30)) {
      found = log.split(separator: "\n").first { line in parts.allSatisfy(line.contains) }
        .map(String.init)
      return found != nil
    }
    return found
  }

  /// Runs profilectl with `--socket` set to this server's socket.
  func profilectl(
    _ arguments: String..., stdin: String = "", environment: [String: String] = [:]
  ) async throws -> CommandResult {
    try await ProfilectlProcess.run(
      ["--socket", socketPath] + arguments, stdin: stdin, environment: environment)
  }

  /// Stops the server (SIGTERM, then SIGKILL after 5 seconds) and removes its directory.
  func stop() async {
    await child.stop()
    try? FileManager.default.removeItem(atPath: directory)
  }
}
