import Foundation
import Glibc
import Subprocesses

/// A `profiled` child process started from the built binary, for tests of the executable:
/// flags, defaults, signals, restarts and crashes.
final class ProfiledProcess: Sendable {
  let process: Subprocess
  /// profiled's standard error, read while it runs so its log never fills the pipe.
  private let errors: OutputCollector
  let socketPath: String
  let dataDirectory: String
  /// The first stdout line, once profiled printed it.
  let listeningLine: String

  /// The directory holding the built executables (`.build/debug`), found from the running test binary.
  static let binaryDirectory: URL = {
    var url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" && !FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("profiled").path) {
      url.deleteLastPathComponent()
    }
    return url
  }()

  static var binary: URL { binaryDirectory.appendingPathComponent("profiled") }

  /// Starts profiled and, unless `waitUntilListening` is false, waits (at most 20 s) until it
  /// says where it listens.
  init(
    dataDirectory: String, socketPath: String? = nil, arguments: [String] = ["--scrypt-log-n", "10"],
    environment: [String: String]? = nil, waitUntilListening: Bool = true
  ) throws {
    self.dataDirectory = dataDirectory
    self.socketPath = socketPath ?? "/tmp/pdt-\(UUID().uuidString.prefix(12)).sock"
    var allArguments = socketPath == nil && environment != nil ? [] : ["--socket", self.socketPath]
    if environment == nil { allArguments += ["--data-dir", dataDirectory] }
    process = try Subprocess(
      executable: Self.binary.path, arguments: allArguments + arguments, environment: environment,
      standardOutput: .pipe, standardError: .pipe)
    errors = OutputCollector(process.standardError!, of: process)
    listeningLine = waitUntilListening ? try Self.firstLine(of: process, errors: errors) : ""
  }

  private static func firstLine(of process: Subprocess, errors: OutputCollector) throws -> String {
    let deadline = ContinuousClock.now + .seconds(20)
    var collected: [UInt8] = []
    while ContinuousClock.now < deadline {
      let chunk = PipeReader.readSome(process.standardOutput!)
      if chunk.isEmpty {
        guard process.isRunning else { break }
        continue
      }
      collected += chunk
      if let newline = collected.firstIndex(of: UInt8(ascii: "\n")) {
        return String(decoding: collected[..<newline], as: UTF8.self)
      }
    }
    throw ProcessFailure(message: "profiled did not report listening; stderr: \(errors.text)")
  }

  /// Sends `signal` and waits for the process to end; returns how it ended.
  @discardableResult
  func stop(_ signal: Int32 = SIGTERM) -> Subprocess.Termination {
    process.signal(signal)
    return process.waitUntilExit()
  }

  /// The names of the process's threads (`/proc/PID/task/TID/comm`), one per thread that still
  /// runs; empty once the process is gone.
  ///
  /// Lists the directory with `readdir` and reads each entry's name where it lies, instead of
  /// copying the record's whole 256-byte name field: that copy, in Foundation's `Process.run()`,
  /// read past the end of a listing buffer and crashed a test run (see `Subprocess`).
  func threadNames() -> [String] {
    let tasks = "/proc/\(process.pid)/task"
    guard let directory = opendir(tasks) else { return [] }
    defer { closedir(directory) }
    let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
    var names: [String] = []
    while let entry = readdir(directory) {
      let task = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
      guard task.first?.isNumber == true,
        let comm = try? String(contentsOfFile: "\(tasks)/\(task)/comm", encoding: .utf8)
      else { continue }
      names.append(comm.trimmingCharacters(in: .newlines))
    }
    return names
  }

  /// What profiled wrote on stderr; call it after the process stopped for all of it (it waits
  /// up to 10 s for the reader to reach the end).
  func standardError() -> String {
    let deadline = ContinuousClock.now + .seconds(10)
    while !errors.ended && ContinuousClock.now < deadline { usleep(2_000) }
    return errors.text
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
