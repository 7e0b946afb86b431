public import Foundation
import Glibc

/// Reads a child process's pipe with `read(2)`, retrying when a signal interrupts it.
///
/// Foundation's `FileHandle.availableData` and `readDataToEndOfFile()` end the process with a
/// fatal error when `read` fails with EINTR, which the SIGCHLD of a finishing child can cause in
/// a test run that starts many processes.
public enum PipeReader {
  /// The next bytes from `handle`, blocking until some arrive; empty at end of file or on error.
  public static func readSome(_ handle: FileHandle) -> Data {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
      if count > 0 { return Data(buffer[0..<count]) }
      if count < 0 && errno == EINTR { continue }
      return Data()
    }
  }

  /// Everything until end of file.
  public static func readToEnd(_ handle: FileHandle) -> Data {
    var all = Data()
    while true {
      let chunk = readSome(handle)
      if chunk.isEmpty { return all }
      all.append(chunk)
    }
  }
}
