import Foundation
import Glibc
import ProfileAPI
import RPC

/// profiled's command line, parsed by hand.
struct ServerOptions {
  var socketPath = DefaultLocations.socketPath()
  var dataDirectory = DefaultLocations.dataDirectory()
  var socketMode: UInt32 = 0o660
  var trustedUIDs: Set<UInt32> = [getuid()]
  var logLevel = LogLevel.info
  var shutdownGrace: Duration = .seconds(10)
  /// scrypt's cost for new password hashes, as log2(N).
  var scryptLogN = 15
  /// Chart-data exports built at once.
  var exportWorkers = 2
  /// How long one export may take before it ends TIMED_OUT.
  var exportTimeBudget: Duration = .seconds(600)
  /// Event-loop threads serving connections.
  var eventLoops = ServerConfiguration.defaultEventLoopCount
  /// How long a loop polls before it sleeps, after it last had work, in microseconds.
  var busyPollMicroseconds = 0
  /// The largest `--busy-poll`: 10 ms of a core's time after every burst of calls.
  static let busyPollLimitMicroseconds = EventLoop.maxBusyPollMicroseconds

  static let usage = """
    USAGE: profiled [options]

    Serves every profile and account-settings operation over a Unix socket.

    OPTIONS:
      --socket PATH          socket to listen on (default: $PROFILED_SOCKET, else
                             $XDG_RUNTIME_DIR/profiled.sock, else <data dir>/profiled.sock)
      --data-dir DIR         where the database and key files live (default: $PROFILED_DATA_DIR,
                             else $XDG_DATA_HOME/profiled, else ~/.local/share/profiled)
      --socket-mode MODE     permission bits of the socket file, octal (default: 0660)
      --trusted-uid UID      a uid allowed to call trusted-only methods; repeatable or
                             comma-separated (default: the server's own uid)
      --log-level LEVEL      error, warning, info or debug; debug logs one line per call
                             (default: info)
      --event-loops N        threads serving connections, 1 to 64 (default: half the
                             processors, 1 to 4; this host has \(ServerConfiguration.defaultEventLoopCount))
      --busy-poll USEC       after each burst of calls, keep polling the sockets this many
                             microseconds before sleeping, 0 to 10000: the next call skips a
                             thread wakeup (lower latency) at up to that much of a core's time
                             per burst (default: 0, sleep at once)
      --shutdown-grace SECS  how long SIGTERM/SIGINT lets calls in flight finish (default: 10)
      --scrypt-log-n N       password hashing cost, log2 of scrypt's N, 10 to 20 (default: 15);
                             stored hashes below it are re-hashed at the next sign-in
      --export-workers N     chart-data exports built at once, 0 to 16; 0 queues them for a
                             later start (default: 2)
      --export-time-budget SECS
                             how long one export may run before it ends timed out, 1 to 86400
                             (default: 600)
      -h, --help             show this help

    """

  struct UsageError: Error, CustomStringConvertible {
    let description: String
  }

  /// Parses `arguments` (without the program name). Returns nil for `--help`.
  static func parse(_ arguments: [String]) throws -> ServerOptions? {
    var options = ServerOptions()
    var trusted: Set<UInt32>? = nil
    var index = 0
    func value(for flag: String) throws -> String {
      index += 1
      guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
      return arguments[index]
    }
    while index < arguments.count {
      let argument = arguments[index]
      var (flag, inline) = (argument, String?.none)
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        inline = String(argument[argument.index(after: equals)...])
      }
      let next = { (name: String) throws -> String in try inline ?? value(for: name) }
      switch flag {
      case "-h", "--help":
        return nil
      case "--socket":
        let path = try next(flag)
        guard !path.isEmpty, path.utf8.count <= 107 else {
          throw UsageError(description: "--socket must be a path of 1 to 107 bytes")
        }
        options.socketPath = path
      case "--data-dir":
        let directory = try next(flag)
        guard !directory.isEmpty else { throw UsageError(description: "--data-dir must not be empty") }
        options.dataDirectory = directory
      case "--socket-mode":
        let text = try next(flag)
        guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
          throw UsageError(description: "--socket-mode must be octal permission bits such as 0660, not '\(text)'")
        }
        options.socketMode = mode
      case "--trusted-uid":
        for part in try next(flag).split(separator: ",") {
          guard let uid = UInt32(part.trimmingCharacters(in: .whitespaces)) else {
            throw UsageError(description: "--trusted-uid takes numeric uids, not '\(part)'")
          }
          trusted = (trusted ?? []).union([uid])
        }
      case "--log-level":
        let text = try next(flag)
        guard let level = LogLevel(rawValue: text) else {
          throw UsageError(description: "--log-level must be error, warning, info or debug, not '\(text)'")
        }
        options.logLevel = level
      case "--event-loops":
        let text = try next(flag)
        guard let loops = Int(text), (1...64).contains(loops) else {
          throw UsageError(description: "--event-loops must be a whole number from 1 to 64, not '\(text)'")
        }
        options.eventLoops = loops
      case "--busy-poll":
        let text = try next(flag)
        guard let microseconds = Int(text), (0...busyPollLimitMicroseconds).contains(microseconds) else {
          throw UsageError(
            description: "--busy-poll must be a whole number of microseconds from 0 to \(busyPollLimitMicroseconds), not '\(text)'")
        }
        options.busyPollMicroseconds = microseconds
      case "--shutdown-grace":
        let text = try next(flag)
        guard let seconds = Double(text), seconds >= 0, seconds <= 3600 else {
          throw UsageError(description: "--shutdown-grace must be 0 to 3600 seconds, not '\(text)'")
        }
        options.shutdownGrace = .milliseconds(Int64(seconds * 1000))
      case "--scrypt-log-n":
        let text = try next(flag)
        guard let logN = Int(text), (10...20).contains(logN) else {
          throw UsageError(description: "--scrypt-log-n must be a whole number from 10 to 20, not '\(text)'")
        }
        options.scryptLogN = logN
      case "--export-workers":
        let text = try next(flag)
        guard let workers = Int(text), (0...16).contains(workers) else {
          throw UsageError(description: "--export-workers must be a whole number from 0 to 16, not '\(text)'")
        }
        options.exportWorkers = workers
      case "--export-time-budget":
        let text = try next(flag)
        guard let seconds = Double(text), seconds >= 1, seconds <= 86_400 else {
          throw UsageError(description: "--export-time-budget must be 1 to 86400 seconds, not '\(text)'")
        }
        options.exportTimeBudget = .milliseconds(Int64(seconds * 1000))
      default:
        throw UsageError(description: "unknown argument '\(argument)'")
      }
      index += 1
    }
    if let trusted { options.trustedUIDs = trusted }
    return options
  }
}
