internal import Testing

@Suite("profilectl usage errors")
struct UsageErrorTests {
  /// A socket nothing listens on: a command line that wrongly passed parsing ends with 14,
  /// not with a hang.
  static let nowhere = "/tmp/pctl-nowhere/s.sock"

  @Test(
    "a wrong command line exits 64 with the message and the usage on standard error",
    arguments: [
      ([], "missing COMMAND"),
      (["frobnicate"], "unknown command 'frobnicate'"),
      (["--bogus", "health"], "unknown option '--bogus'"),
      (["health", "--bogus"], "unknown option '--bogus' for health"),
      (["health", "a", "b"], "at most one SERVICE"),
      (["list", "extra"], "list takes no arguments"),
      (["schema", "extra"], "schema takes no arguments"),
      (["describe"], "describe needs a NAME"),
      (["call"], "call needs a SERVICE.METHOD"),
      (["call", "HealthCheck", "{}"], "SERVICE.METHOD or SERVICE/METHOD"),
      (["call", "Health.Check", "{}", "{}"], "one JSON argument"),
      (["-H", "novalue", "health"], "-H takes key=value"),
      (["-H", "=x", "health"], "-H key must be"),
      (["-H", "bad key=x", "health"], "-H key must be"),
      (["health", "-H"], "-H needs a value"),
      (["--timeout", "abc", "health"], "--timeout must be"),
      (["--timeout", "0", "health"], "--timeout must be"),
      (["--timeout", "-5s", "health"], "--timeout must be"),
      (["--timeout", "5h", "health"], "--timeout must be"),
      (["--timeout=", "health"], "--timeout must be"),
      (["health", "--timeout"], "--timeout needs a value"),
      (["--token", "", "health"], "--token must be"),
      (["help", "nope"], "unknown command 'nope'"),
    ])
  func usageError(arguments: [String], message: String) async throws {
    let result = try await ProfilectlProcess.run(["--socket", Self.nowhere] + arguments)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.hasPrefix("profilectl: "), "\(result)")
    #expect(result.stderr.contains(message), "\(result)")
    #expect(result.stderr.contains("USAGE: profilectl"), "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
  }

  @Test("a usage error shows the usage of the command it concerns")
  func commandUsage() async throws {
    let result = try await ProfilectlProcess.run(["--socket", Self.nowhere, "describe"])
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains("USAGE: profilectl [options] describe NAME"), "\(result)")
  }

  @Test(
    "timeouts in milliseconds, seconds, minutes or plain seconds are accepted",
    arguments: ["500ms", "5s", "2m", "1.5", "3"])
  func validTimeout(timeout: String) async throws {
    let result = try await ProfilectlProcess.run(["--socket", Self.nowhere, "--timeout", timeout, "health"])
    #expect(result.status == 14, "\(result)")
  }
}
