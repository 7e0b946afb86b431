internal import Foundation
internal import Subprocesses

/// A child process whose standard output and standard error are collected while it runs.
///
/// Reading happens on two dedicated threads, never on the cooperative pool that runs the
/// tests, and every wait is a bounded poll, so a child that hangs fails its test instead of
/// the suite.
final class ChildProcess: Sendable {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private let process: Subprocess
  private let output: OutputCollector
  private let errors: OutputCollector

  /// Starts `executable`; `stdin` is written to its standard input, which is then closed.
  init(
    executable: String, arguments: [String], environment: [String: String],
    stdin: String = ""
  ) throws {
    process = try Subprocess(
      executable: executable, arguments: arguments, environment: environment,
      standardInput: .pipe, standardOutput: .pipe, standardError: .pipe)
    output = OutputCollector(process.standardOutput!, of: process)
    errors = OutputCollector(process.standardError!, of: process)
    let process = self.process
    let bytes = Array(stdin.utf8)
    Thread {
      process.writeToStandardInput(bytes)
      process.closeStandardInput()
    }.start()
  }

  /// Everything written to standard output so far.
  var stdout: String { output.text }
  /// Everything written to standard error so far.
  var stderr: String { errors.text }

  var isRunning: Bool { process.isRunning }

  /// Waits until `condition` holds, polling every 10 ms; false when `timeout` passes first.
  func wait(upTo timeout: Duration, until condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return true
  }

  /// Waits for the process to exit and its output to be read, killing it after `timeout`.
  ///
  /// - Throws: ``Failure`` when it had to be killed.
  func result(timeout: Duration) async throws -> CommandResult {
    let name = (process.executable as NSString).lastPathComponent
    if await !wait(upTo: timeout, until: { !process.isRunning }) {
      process.signal(SIGKILL)
      _ = await wait(upTo: .seconds(5), until: { !process.isRunning })
      throw Failure(
        description: "\(name) did not exit within \(timeout)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---")
    }
    // Output written before exit is in the pipes, and no other process holds their write ends
    // (they are close-on-exec), so the readers reach end of file as soon as they run.
    _ = await wait(upTo: .seconds(10), until: { output.ended && errors.ended })
    let termination = process.waitUntilExit()
    guard case .exited(let status) = termination else {
      throw Failure(
        description: "\(name) ended with \(termination)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---")
    }
    return CommandResult(status: status, stdout: stdout, stderr: stderr)
  }

  /// Sends SIGTERM, then SIGKILL if the process is still running after `grace`.
  func stop(grace: Duration = .seconds(5)) async {
    guard process.isRunning else { return }
    process.signal(SIGTERM)
    if await !wait(upTo: grace, until: { !process.isRunning }) {
      process.signal(SIGKILL)
      _ = await wait(upTo: .seconds(5), until: { !process.isRunning })
    }
  }
}
