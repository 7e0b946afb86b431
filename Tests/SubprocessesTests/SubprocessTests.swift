import Glibc
import Subprocesses
import Testing

@Suite struct SubprocessTests {
  /// Runs `script` with `/bin/sh -c` and returns how it ended and what it printed.
  private func shell(
    _ script: String, currentDirectory: String? = nil, input: String? = nil
  ) throws -> (Subprocess.Termination, String) {
    let process = try Subprocess(
      executable: "/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin"],
      currentDirectory: currentDirectory, standardInput: input == nil ? .null : .pipe,
      standardOutput: .pipe)
    if let input {
      #expect(process.writeToStandardInput(Array(input.utf8)))
      process.closeStandardInput()
    }
    let output = String(decoding: PipeReader.readToEnd(process.standardOutput!), as: UTF8.self)
    return (process.waitUntilExit(), output)
  }

  @Test func exitStatusesAndSignalsAreTold() throws {
    #expect(try shell("exit 0").0 == .exited(0))
    #expect(try shell("exit 3").0 == .exited(3))
    #expect(try shell("kill -KILL $$").0 == .signaled(SIGKILL))
  }

  @Test func theChildInheritsNoOtherDescriptor() throws {
    // Opened without close-on-exec, as Foundation and C libraries sometimes do.
    let descriptor = open("/dev/null", O_RDONLY)
    try #require(descriptor > 2)
    defer { close(descriptor) }
    // The shell's own `test`: a command in a pipeline would see the shell's pipes too.
    let (termination, output) = try shell("if [ -e /proc/$$/fd/\(descriptor) ]; then echo open; else echo closed; fi")
    #expect(termination == .exited(0))
    #expect(output == "closed\n", "descriptor \(descriptor) leaked into the child")
  }

  @Test func standardInputDirectoryAndEnvironmentReachTheChild() throws {
    #expect(try shell("cat", input: "hello\n") == (.exited(0), "hello\n"))
    #expect(try shell("pwd", currentDirectory: "/tmp") == (.exited(0), "/tmp\n"))
    #expect(try shell("echo $PATH") == (.exited(0), "/usr/bin:/bin\n"))
  }

  @Test func writingToAChildThatClosedItsInputFailsWithoutSIGPIPE() throws {
    let process = try Subprocess(executable: "/bin/sh", arguments: ["-c", "exit 0"], standardInput: .pipe)
    #expect(process.waitUntilExit() == .exited(0))
    // The read end is gone with the child: the write fails instead of ending the test process.
    #expect(!process.writeToStandardInput(Array(repeating: 0x61, count: 100_000)))
  }

  @Test func aMissingExecutableIsAnErrorNamingIt() {
    #expect {
      try Subprocess(executable: "/nonexistent/program", arguments: [])
    } throws: { error in
      "\(error)".contains("/nonexistent/program") && "\(error)".contains("No such file")
    }
  }

  @Test func aRunningChildIsKilledWhenReleased() throws {
    var process: Subprocess? = try Subprocess(executable: "/bin/sleep", arguments: ["60"])
    let pid = try #require(process?.pid)
    #expect(process?.isRunning == true)
    process = nil
    // Killed and reaped: the pid no longer names a process of ours.
    #expect(kill(pid, 0) == -1 && errno == ESRCH)
  }
}
