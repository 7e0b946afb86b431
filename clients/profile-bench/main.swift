internal import Glibc

// profile-bench: measures profiled against a raw Unix-socket baseline in one run.
//
// Layout: `BenchCommand` parses the arguments; `BenchRunner` runs the measurements and prints
// the `Report`. The raw baseline is `RawBaselineServer` (run in a child process through
// `ChildServer`) and `RawBaselineClient`, both on epoll; the profiled side is measured by
// `LoadDriver` through the closures `RPCScenarios` provides, the one file that knows the RPC API.

// A peer that closes while we write must be an EPIPE error, not the end of the process.
var ignore = sigaction()
ignore.__sigaction_handler.sa_handler = SIG_IGN
sigemptyset(&ignore.sa_mask)
if sigaction(SIGPIPE, &ignore, nil) != 0 {
  Console.error("profile-bench: cannot ignore SIGPIPE: errno \(errno)")
  exit(2)
}

let command: BenchCommand
do {
  command = try BenchCommand(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
  Console.error("profile-bench: \(error)\nTry 'profile-bench --help'.")
  exit(64)
}

switch command {
case .help:
  print(BenchCommand.helpText)

case .serveRaw(let socketPath):
  ParentWatch.recordParent()
  do {
    try RawBaselineServer(socketPath: socketPath).run()
  } catch {
    Console.error("profile-bench raw server: \(error)")
    exit(2)
  }

case .serveRPC(let socketPath, let commit):
  do {
    try ParentWatch.exitWhenParentExits()
    try await RPCScenarios.runServer(socketPath: socketPath, commit: commit)
  } catch {
    Console.error("profile-bench RPC server: \(error)")
    exit(2)
  }

case .run(let options):
  // Quoted where needed, so the printed command can be pasted back into a shell.
  let commandLine = CommandLine.arguments.map { argument in
    argument.isEmpty || argument.contains(where: { " \t'\"$`\\".contains($0) })
      ? "'" + argument.split(separator: "'", omittingEmptySubsequences: false)
        .joined(separator: "'\\''") + "'"
      : argument
  }.joined(separator: " ")
  let runner = BenchRunner(options: options, commandLine: commandLine)
  exit(await runner.run())
}
