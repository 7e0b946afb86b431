internal import RPC

/// The status profilectl exits with.
///
/// A failed call exits with its gRPC status number (1 to 16), so scripts can branch on the
/// same codes the server sends; 0 is success and 64 (`EX_USAGE` from sysexits.h) a command
/// line that cannot run, a value no status code uses.
struct ExitCode: Hashable, Sendable {
  let rawValue: Int32

  static let success = ExitCode(rawValue: 0)
  static let usage = ExitCode(rawValue: 64)

  init(rawValue: Int32) {
    self.rawValue = rawValue
  }

  /// The exit status of a call that ended with `code`.
  init(_ code: StatusCode) {
    self.rawValue = Int32(code.rawValue)
  }
}
