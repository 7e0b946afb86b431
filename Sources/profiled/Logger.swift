import Foundation
import RPC

/// Writes `time level message key=value...` lines to standard error.
struct Logger: Sendable {
  let level: LogLevel

  func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
    guard level <= self.level else { return }
    var line = "\(Date().formatted(.iso8601)) \(level.rawValue) \(message)"
    for (key, value) in fields { line += " \(key)=\(Logger.quoted(value))" }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// The one line per call, at debug level.
  func call(_ record: CallRecord) {
    guard level >= .debug else { return }
    let milliseconds = Double(record.duration.components.attoseconds) / 1e15
      + Double(record.duration.components.seconds) * 1000
    log(
      .debug, "call",
      [
        "request_id": record.requestID, "method": record.method, "status": record.code.name,
        "duration_ms": String(format: "%.3f", milliseconds), "peer_uid": String(record.peer.uid),
        "peer_pid": String(record.peer.pid),
      ])
  }

  private static func quoted(_ value: String) -> String {
    let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
    guard needsQuotes else { return value }
    return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n") + "\""
  }
}
