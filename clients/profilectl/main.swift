internal import Foundation

// profilectl: the debugging client of profiled. Profilectl.run does the work; this file only
// connects it to the process.

let status = await Profilectl.run(
  arguments: Array(CommandLine.arguments.dropFirst()),
  environment: ProcessInfo.processInfo.environment)
fflush(stdout)
exit(status.rawValue)
