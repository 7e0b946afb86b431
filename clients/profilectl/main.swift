internal import Foundation

// profilectl: the debugging client of profiled. Profilectl.run does the work; this file only
// connects it to the process.

let status = await Profilectl.run(
  arguments: Array(CommandLine.arguments.dropFirst()),
  environment: ProcessInfo.processInfo.environment)
// Output writes unbuffered; fflush(nil) covers anything a library printed. (Naming `stdout`
// is refused in Swift 6 mode: a C global that is shared mutable state.)
fflush(nil)
exit(status.rawValue)
