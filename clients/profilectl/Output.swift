internal import Foundation

/// Standard output and standard error, written straight to the file descriptors.
///
/// `FileHandle` writes are unbuffered, so every line is out before the next response is
/// awaited and nothing is lost at exit; a watch piped into another program shows each change
/// as it happens. A write that fails (a closed pipe) is dropped.
enum Output {
  /// Writes `text` and `terminator` to standard output.
  static func line(_ text: String, terminator: String = "\n") {
    write(text + terminator, to: .standardOutput)
  }

  /// Writes `text` and `terminator` to standard error.
  static func error(_ text: String, terminator: String = "\n") {
    write(text + terminator, to: .standardError)
  }

  private static func write(_ text: String, to handle: FileHandle) {
    try? handle.write(contentsOf: Data(text.utf8))
  }
}
