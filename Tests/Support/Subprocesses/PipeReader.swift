import Glibc

/// Reads a child process's pipe with `read(2)`, retrying when a signal interrupts it.
///
/// Foundation's `FileHandle.availableData` and `readDataToEndOfFile()` end the process with a
/// fatal error when `read` fails with EINTR, which the SIGCHLD of a finishing child can cause in
/// a test run that starts many processes.
public enum PipeReader {
  /// The next bytes from `descriptor`, blocking until some arrive; empty at end of file or on error.
  public static func readSome(_ descriptor: Int32) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 { return Array(buffer[0..<count]) }
      if count < 0 && errno == EINTR { continue }
      return []
    }
  }

  /// Everything until end of file.
  public static func readToEnd(_ descriptor: Int32) -> [UInt8] {
    var all: [UInt8] = []
    while true {
      let chunk = readSome(descriptor)
      if chunk.isEmpty { return all }
      all.append(contentsOf: chunk)
    }
  }
}
