/// How a profilectl run ended: its exit status and everything it wrote.
struct CommandResult: Sendable, CustomStringConvertible {
  let status: Int32
  let stdout: String
  let stderr: String

  /// The whole result, for failure messages.
  var description: String {
    "exit status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---"
  }
}
