import Foundation
import RPC

/// Writes `time level message key=value...` lines to standard error.
struct Logger: Sendable {
  let level: LogLevel
  /// Shared by every copy: the limit on the error lines of failed calls.
  let failedCalls = FailedCallLines()

  func log(
    _ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:],
    extra: KeyValuePairs<String, String> = [:]
  ) {
    guard level <= self.level else { return }
    var line = "\(Date().formatted(.iso8601)) \(level.rawValue) \(message)"
    for (key, value) in fields { line += " \(key)=\(Logger.quoted(value))" }
    for (key, value) in extra { line += " \(key)=\(Logger.quoted(value))" }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// The one line per call, at debug level; at error level, with the error, for a call that
  /// ended with a ``CallRecord/cause`` (an unexpected error, or a store failure such as a full
  /// disk), whose caller was only told its request id. Those error lines are limited by
  /// ``failedCalls``; the ones held back are counted in a line of their own.
  func call(_ record: CallRecord) {
    guard level >= .debug || record.cause != nil else { return }
    if record.cause != nil {
      switch failedCalls.admit(at: .now) {
      case .holdBack:
        return
      case .write(let heldBack):
        writeHeldBackCount(heldBack)
      }
    }
    let milliseconds = Double(record.duration.components.attoseconds) / 1e15
      + Double(record.duration.components.seconds) * 1000
    let fields: KeyValuePairs<String, String> = [
      "request_id": record.requestID, "method": record.method, "status": record.code.name,
      "duration_ms": String(format: "%.3f", milliseconds), "peer_uid": String(record.peer.uid),
      "peer_pid": String(record.peer.pid),
    ]
    if let cause = record.cause {
      log(.error, "call failed with an unexpected error", fields, extra: ["error": cause])
    } else {
      log(.debug, "call", fields)
    }
  }

  /// Writes the count of failed calls whose lines were held back and not yet reported, if any;
  /// for shutdown.
  func reportHeldBack() {
    writeHeldBackCount(failedCalls.takeHeldBack())
  }

  /// The line that counts `count` held-back lines (none for 0): written before the next line
  /// that may be written, and at shutdown.
  private func writeHeldBackCount(_ count: Int) {
    guard count > 0 else { return }
    log(
      .error, "more calls failed with an unexpected error; their lines were held back",
      [
        "count": String(count), "limit": "\(failedCalls.burst) lines per \(failedCalls.window)",
      ])
  }

  /// The longest value a log line shows, in UTF-8 bytes; a longer one is cut and ends in `…`.
  static let maxValueBytes = 256

  /// `value` as it goes in a line: control and format characters escaped (`\r`, `\u{1b}`...), so
  /// a caller's request id or method name cannot forge lines or drive a terminal; cut to
  /// ``maxValueBytes``; quoted when it is empty, was changed, or holds a space, quote or `=`.
  static func quoted(_ value: String) -> String {
    var body = ""
    var changed = false
    var separates = false
    for scalar in value.unicodeScalars {
      if body.utf8.count >= maxValueBytes {
        body += "…"
        changed = true
        break
      }
      switch scalar {
      case "\\": body += "\\\\"
      case "\"": body += "\\\""
      case "\n": body += "\\n"
      case "\r": body += "\\r"
      case "\t": body += "\\t"
      default:
        let category = scalar.properties.generalCategory
        if category == .control || category == .format || category == .lineSeparator || category == .paragraphSeparator {
          body += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          if scalar == " " || scalar == "=" { separates = true }
          body.unicodeScalars.append(scalar)
          continue
        }
      }
      changed = true
    }
    let needsQuotes = value.isEmpty || changed || separates
    return needsQuotes ? "\"" + body + "\"" : body
  }
}
