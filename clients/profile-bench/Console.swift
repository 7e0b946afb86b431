internal import Glibc

/// Messages for the person running the benchmark, on standard error.
///
/// Standard output carries only the report, so `profile-bench --markdown > figures.md` works.
/// Writes go straight to file descriptor 2 (no stdio buffer, so messages appear in order with
/// the child servers' own messages, which are also sent to standard error).
enum Console {
  /// Writes one line to standard error; a failing write is ignored, as there is nowhere left to report it.
  static func error(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          return
        }
      }
    }
  }

  /// Announces the step about to run, so a long run shows where it is.
  static func progress(_ message: String) {
    error("profile-bench: \(message)")
  }
}
