import PipeReading
internal import Foundation
internal import Synchronization

/// A child process whose standard output and standard error are collected while it runs.
///
/// Reading happens on two dedicated threads, never on the cooperative pool that runs the
/// tests, and every wait is a bounded poll, so a child that hangs fails its test instead of
/// the suite.
final class ChildProcess: @unchecked Sendable {
  // @unchecked: `process` is configured and launched in init and afterwards only signalled and
  // read for its pid and status, which Foundation allows from any thread; the collected output
  // lives in `state`, a Mutex.

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private struct State {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var openStreams = 2
  }

  private let process = Process()
  private let state = Mutex(State())

  /// Starts `executable`; `stdin` is written to its standard input, which is then closed.
  init(
    executable: String, arguments: [String], environment: [String: String],
    stdin: String = ""
  ) throws {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    collect(output.fileHandleForReading, standardError: false)
    collect(error.fileHandleForReading, standardError: true)
    let writer = input.fileHandleForWriting
    let bytes = Data(stdin.utf8)
    Thread {
      try? writer.write(contentsOf: bytes)
      try? writer.close()
    }.start()
  }

  /// Everything written to standard output so far.
  var stdout: String { state.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
  /// Everything written to standard error so far.
  var stderr: String { state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

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
    if await !wait(upTo: timeout, until: { !process.isRunning }) {
      kill(process.processIdentifier, SIGKILL)
      _ = await wait(upTo: .seconds(5), until: { !process.isRunning })
      throw Failure(
        description: "\(process.executableURL?.lastPathComponent ?? "child") did not exit within "
          + "\(timeout)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---")
    }
    // Output written before exit is in the pipes; the readers see end of file at once unless
    // another child inherited a pipe, so wait only briefly for it.
    _ = await wait(upTo: .seconds(2), until: { state.withLock { $0.openStreams == 0 } })
    return CommandResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
  }

  /// Sends SIGTERM, then SIGKILL if the process is still running after `grace`.
  func stop(grace: Duration = .seconds(5)) async {
    guard process.isRunning else { return }
    process.terminate()
    if await !wait(upTo: grace, until: { !process.isRunning }) {
      kill(process.processIdentifier, SIGKILL)
      _ = await wait(upTo: .seconds(5), until: { !process.isRunning })
    }
  }

  private func collect(_ handle: FileHandle, standardError: Bool) {
    Thread { [self] in
      while true {
        let data = PipeReader.readSome(handle)
        if data.isEmpty { break }
        state.withLock { state in
          if standardError {
            state.stderr.append(contentsOf: data)
          } else {
            state.stdout.append(contentsOf: data)
          }
        }
      }
      state.withLock { $0.openStreams -= 1 }
    }.start()
  }
}
