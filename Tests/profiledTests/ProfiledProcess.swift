import PipeReading
import Foundation
import Glibc

/// A `profiled` child process started from the built binary, for tests of the executable:
/// flags, defaults, signals, restarts and crashes.
final class ProfiledProcess: @unchecked Sendable {
  // @unchecked: the Process and pipes are touched from one test at a time.
  let process = Process()
  let socketPath: String
  let dataDirectory: String
  private let stdoutPipe = Pipe()
  private let stderrPipe = Pipe()

  /// The directory holding the built executables (`.build/debug`), found from the running test binary.
  static let binaryDirectory: URL = {
    var url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" && !FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("profiled").path) {
      url.deleteLastPathComponent()
    }
    return url
  }()

  static var binary: URL { binaryDirectory.appendingPathComponent("profiled") }

  /// Starts profiled and waits until it says where it listens.
  init(
    dataDirectory: String, socketPath: String? = nil, arguments: [String] = ["--scrypt-log-n", "10"],
    environment: [String: String]? = nil, waitUntilListening: Bool = true
  ) throws {
    self.dataDirectory = dataDirectory
    self.socketPath = socketPath ?? "/tmp/pdt-\(UUID().uuidString.prefix(12)).sock"
    process.executableURL = Self.binary
    var allArguments = socketPath == nil && environment != nil ? [] : ["--socket", self.socketPath]
    if environment == nil { allArguments += ["--data-dir", dataDirectory] }
    process.arguments = allArguments + arguments
    if let environment { process.environment = environment }
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    try process.run()
    if waitUntilListening { try waitForListeningLine() }
  }

  /// The first stdout line, once profiled printed it (bounded wait).
  private(set) var listeningLine = ""

  private func waitForListeningLine() throws {
    let deadline = Date().addingTimeInterval(20)
    var collected = Data()
    let handle = stdoutPipe.fileHandleForReading
    while Date() < deadline {
      let chunk = PipeReader.readSome(handle)
      if chunk.isEmpty {
        guard process.isRunning else { break }
        continue
      }
      collected.append(chunk)
      if let text = String(data: collected, encoding: .utf8), text.contains("\n") {
        listeningLine = text.components(separatedBy: "\n")[0]
        return
      }
    }
    throw ProcessFailure(message: "profiled did not report listening; stderr: \(standardError())")
  }

  /// Sends `signal` and waits for the process to end; returns its exit status.
  @discardableResult
  func stop(_ signal: Int32 = SIGTERM) -> Int32 {
    if process.isRunning { kill(process.processIdentifier, signal) }
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// What profiled wrote on stderr so far (call after it stopped for all of it).
  func standardError() -> String {
    String(decoding: PipeReader.readToEnd(stderrPipe.fileHandleForReading), as: UTF8.self)
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  static func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "profiled-exe-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

struct ProcessFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
