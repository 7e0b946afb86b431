/// A command line profilectl cannot run: reported on standard error with the usage text of the
/// command it concerns, and exit status 64.
struct UsageError: Error, Sendable, CustomStringConvertible {
  let message: String
  /// The help text to print after the message: the command's, or the general one.
  var usage: String

  init(_ message: String, usage: String = Profilectl.usage) {
    self.message = message
    self.usage = usage
  }

  var description: String { message }
}
