internal import Glibc

/// A failed system call: its name and errno, with the C library's text.
package struct SystemError: Error, Sendable, CustomStringConvertible {
  package let call: String
  package let errno: Int32

  package init(call: String, errno: Int32) {
    self.call = call
    self.errno = errno
  }

  /// The error of the system call that just failed.
  package static func last(_ call: String) -> SystemError {
    SystemError(call: call, errno: Glibc.errno)
  }

  package var description: String { "\(call): \(String(cString: strerror(errno)))" }
}
