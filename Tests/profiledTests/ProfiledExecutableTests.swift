import Subprocesses
import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import RPC
import Synchronization
import Testing

@Suite struct ProfiledExecutableTests {
  @Test func startsOnEmbeddedDefaultsAndStopsCleanlyOnSIGTERM() async throws {
    let home = ProfiledProcess.temporaryDirectory()
    let environment = ["HOME": home, "PATH": "/usr/bin:/bin"]
    let server = try ProfiledProcess(dataDirectory: "", socketPath: nil, arguments: [], environment: environment)
    let expectedSocket = home + "/.local/share/profiled/profiled.sock"
    #expect(server.listeningLine.contains("listening on \(expectedSocket)"))
    #expect(FileManager.default.fileExists(atPath: home + "/.local/share/profiled/profiled.sqlite"))
    let status = try await withProfileClient(socketPath: expectedSocket) { client in try await client.health.check() }
    #expect(status == .serving)
    #expect(server.stop(SIGTERM) == .exited(0))
    #expect(!FileManager.default.fileExists(atPath: expectedSocket))
  }

  @Test func stopsOnEverySIGTERMAlsoRightAfterStarting() async throws {
    // Dispatch signal sources once lost a SIGTERM that the kernel gave a thread not blocking it.
    for _ in 0..<5 {
      let server = try ProfiledProcess(dataDirectory: ProfiledProcess.temporaryDirectory())
      server.process.signal(SIGTERM)
      let deadline = ContinuousClock.now + .seconds(20)
      while server.process.isRunning && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(10))
      }
      if server.process.isRunning {
        server.stop(SIGKILL)
        Issue.record("profiled was still running 20 s after SIGTERM")
        return
      }
      #expect(server.process.waitUntilExit() == .exited(0))
    }
  }

  @Test(arguments: [
    ["--socket-mode", "999"], ["--export-workers", "17"], ["--export-workers", "two"],
    ["--export-time-budget", "0"], ["--export-time-budget=90000"], ["--event-loops", "0"],
    ["--event-loops=65"], ["--busy-poll", "-1"], ["--busy-poll=10001"], ["--busy-poll", "50us"],
  ])
  func badFlagsExitWith64AndTheUsage(arguments: [String]) throws {
    let process = try Subprocess(
      executable: ProfiledProcess.binary.path, arguments: arguments, standardOutput: .null,
      standardError: .pipe)
    let text = String(decoding: PipeReader.readToEnd(process.standardError!), as: UTF8.self)
    #expect(process.waitUntilExit() == .exited(64))
    #expect(text.contains(arguments[0].split(separator: "=")[0]))
    #expect(text.contains("USAGE: profiled"))
  }

  /// `--event-loops` sets how many threads serve connections; they are named `rpc-server-N`.
  @Test func eventLoopsFlagSetsTheServingThreads() async throws {
    let server = try ProfiledProcess(
      dataDirectory: ProfiledProcess.temporaryDirectory(), arguments: ["--scrypt-log-n", "10", "--event-loops", "3"])
    defer { server.stop() }
    func loopThreads() -> [String] { server.threadNames().filter { $0.hasPrefix("rpc-server-") }.sorted() }
    // A thread names itself once it runs, which may be just after profiled says it listens.
    let deadline = ContinuousClock.now + .seconds(10)
    var loops = loopThreads()
    while loops.count < 3, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
      loops = loopThreads()
    }
    #expect(loops == ["rpc-server-0", "rpc-server-1", "rpc-server-2"])
  }

  @Test func everythingIsStillThereAfterARestart() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    // The export flags only need to be accepted here; ExportsTests cover what they do.
    let flags = ["--scrypt-log-n", "10", "--export-workers", "1", "--export-time-budget", "30"]
    var server = try ProfiledProcess(dataDirectory: directory, arguments: flags)
    let email = "restart@example.com"
    let userID = try await withProfileClient(socketPath: server.socketPath) { client in
      try await client.rpc.unary(
        Accounts.signUp, Accounts.SignUpRequest(email: email, password: "restart-1", firstName: "Re", lastName: "Start")
      ).userId
    }
    #expect(server.stop(SIGTERM) == .exited(0))
    server = try ProfiledProcess(dataDirectory: directory)
    let signedIn = try await withProfileClient(socketPath: server.socketPath) { client in
      try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: email, password: "restart-1"))
    }
    #expect(signedIn.userId == userID)
    server.stop()
  }

  /// Writes acknowledged before a `kill -9` are all there after the restart: group commit
  /// resumes callers only after the syncing thread's fdatasync of the WAL.
  @Test func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    let server = try ProfiledProcess(dataDirectory: directory)
    let acknowledged = AcknowledgedWrites()
    let socket = server.socketPath
    let writers = Task {
      try? await withProfileClient(socketPath: socket) { client in
        await withTaskGroup(of: Void.self) { group in
          for worker in 0..<32 {
            group.addTask {
              var index = 0
              while !Task.isCancelled {
                let email = "w\(worker)-\(index)@example.com"
                index += 1
                do {
                  _ = try await client.rpc.unary(
                    Accounts.signUp,
                    Accounts.SignUpRequest(email: email, password: "durable-1", firstName: "D", lastName: "W"))
                  acknowledged.append(email)
                } catch {
                  return
                }
              }
            }
          }
        }
      }
    }
    // Let the load run, then kill the server in the middle of it.
    while acknowledged.all.count < 200 { try await Task.sleep(for: .milliseconds(20)) }
    #expect(server.stop(SIGKILL) == .signaled(SIGKILL))
    writers.cancel()
    await writers.value
    let emails = acknowledged.all

    // The socket file is stale now; a new server replaces it and finds every acknowledged write.
    let restarted = try ProfiledProcess(dataDirectory: directory, socketPath: server.socketPath)
    let missing = try await withProfileClient(socketPath: restarted.socketPath) { client in
      var missing: [String] = []
      for email in emails {
        do {
          _ = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: email, password: "durable-1"))
        } catch {
          missing.append(email)
        }
      }
      return missing
    }
    #expect(emails.count >= 200)
    #expect(missing.isEmpty, "lost \(missing.count) of \(emails.count) acknowledged writes")
    restarted.stop()
  }

  /// `--busy-poll` reaches the server (its start line says so) and a polling server answers
  /// calls and stops on SIGTERM like any other.
  @Test func busyPollFlagIsTakenAndTheServerServes() async throws {
    let server = try ProfiledProcess(
      dataDirectory: ProfiledProcess.temporaryDirectory(), arguments: ["--scrypt-log-n", "10", "--busy-poll", "500"])
    try await withProfileClient(socketPath: server.socketPath) { client throws in
      for _ in 0..<20 {
        #expect(try await client.health.check() == .serving)
      }
    }
    #expect(server.stop() == .exited(0))
    let started = try #require(server.standardError().split(separator: "\n").first { $0.contains(" info started ") })
    #expect(started.contains("busy_poll_us=500"))
  }

  @Test func debugLevelLogsOneLinePerCall() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    let server = try ProfiledProcess(dataDirectory: directory, arguments: ["--log-level", "debug", "--scrypt-log-n", "10"])
    // More than a pipe's 64 KiB of log lines: profiled must not block on its standard error.
    let calls = 600
    try await withProfileClient(socketPath: server.socketPath) { client in
      for index in 0..<calls {
        _ = try await client.health.check(options: CallOptions(metadata: ["request-id": "trace-\(index)"]))
      }
    }
    server.stop()
    let log = server.standardError()
    #expect(log.utf8.count > 65_536)
    #expect(log.split(separator: "\n").count { $0.contains("method=Health/Check") } == calls)
    let line = try #require(log.split(separator: "\n").first { $0.contains("request_id=trace-42 ") })
    #expect(line.contains("method=Health/Check"))
    #expect(line.contains("status=OK"))
    #expect(line.contains("duration_ms="))
    #expect(line.contains("peer_uid=\(getuid())"))
  }

  /// A call that fails on something no handler expects is logged at error level, even at the
  /// default log level, with its cause and the request id the caller was told. The failure here
  /// is a trigger someone else put in the live database, through SQLite in another process.
  @Test func anUnexpectedFailureIsLoggedWithItsCause() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    let server = try ProfiledProcess(dataDirectory: directory)
    let failure = try await withProfileClient(socketPath: server.socketPath) { client in
      let token = try await Self.signUpWithFrozenFirstNames(client, directory: directory)
      let options = CallOptions(metadata: ["authorization": "Bearer \(token)", "request-id": "frozen-1"])
      return await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Thawed"), options: options)
      }
    }
    #expect(failure?.code == .unknown)
    #expect(failure?.message.hasSuffix("request id frozen-1") == true)
    #expect(failure?.message.contains("first names") == false)
    #expect(server.stop() == .exited(0))
    let lines = server.standardError().split(separator: "\n")
    let line = try #require(lines.first { $0.contains("request_id=frozen-1 ") })
    #expect(line.contains(" error call failed with an unexpected error "))
    #expect(line.contains("method=Profile/UpdateProfile"))
    #expect(line.contains("status=UNKNOWN"))
    #expect(line.contains("first names are frozen"))
    // At the default level, calls that end as their handlers chose are not logged.
    #expect(!lines.contains { $0.contains("method=Accounts/SignIn") })
    // One failure: nothing held back, so no count at shutdown.
    #expect(!lines.contains { $0.contains("lines were held back") })
  }

  /// When every call fails the same way, the log gets the first lines of each window and a
  /// count of the rest, not a line per call.
  @Test func failedCallLinesAreLimitedAndTheRestCounted() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    let server = try ProfiledProcess(dataDirectory: directory)
    let calls = 25
    let clock = ContinuousClock()
    var elapsed = Duration.zero
    try await withProfileClient(socketPath: server.socketPath) { client in
      let token = try await Self.signUpWithFrozenFirstNames(client, directory: directory)
      let options = CallOptions(metadata: ["authorization": "Bearer \(token)"])
      let start = clock.now
      defer { elapsed = start.duration(to: clock.now) }
      for number in 0..<calls {
        await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Thawed \(number)"), options: options)
        }
      }
    }
    #expect(server.stop() == .exited(0))
    let lines = server.standardError().split(separator: "\n")
    let written = lines.filter { $0.contains("call failed with an unexpected error") }
    let reports = lines.filter { $0.contains("lines were held back") }
    let counts = reports.compactMap { line in
      line.split(separator: " ").first { $0.hasPrefix("count=") }.flatMap { Int($0.dropFirst(6)) }
    }
    #expect(reports.allSatisfy { $0.contains(" error ") })
    // Every failed call is a line or counted, and the first window has its 10 lines.
    #expect(counts.count == reports.count)
    #expect(written.count + counts.reduce(0, +) == calls)
    #expect(written.count >= 10)
    // However slow the machine, at most 10 lines per window the calls spanned.
    let windows = Int(elapsed / .seconds(10)) + 1
    #expect(written.count <= 10 * windows)
    if elapsed < .seconds(10) {
      // The usual case, the calls within one 10 s window: its 10 lines, then the count at shutdown.
      #expect(written.count == 10)
      #expect(counts == [calls - 10])
    }
    let stopped = try #require(lines.firstIndex { $0.contains(" info stopped") })
    let lastReport = try #require(lines.lastIndex { $0.contains("lines were held back") })
    #expect(lastReport < stopped)
  }

  /// Signs up a user, signs in, and makes every later change of a first name fail inside the
  /// store with an error the handler does not expect (a trigger added behind the server's
  /// back); returns the session token.
  private static func signUpWithFrozenFirstNames(_ client: ProfileClient, directory: String) async throws -> String {
    _ = try await client.rpc.unary(
      Accounts.signUp,
      Accounts.SignUpRequest(email: "frozen@example.com", password: "frozen-1", firstName: "F", lastName: "Z"))
    let session = try await client.rpc.unary(
      Accounts.signIn, Accounts.SignInRequest(email: "frozen@example.com", password: "frozen-1"))
    let trigger = """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1], timeout=30)
      db.execute("CREATE TRIGGER frozen BEFORE UPDATE OF first_name ON users "
                 "BEGIN SELECT RAISE(ABORT, 'first names are frozen'); END")
      db.commit()
      """
    let altered = try PythonClientTests.runPython(
      arguments: ["-c", trigger, directory + "/profiled.sqlite"], naming: "the trigger script")
    #expect(altered.status == 0, "\(altered.standardError)")
    return session.token ?? ""
  }

  /// A damaged database file is DATA_LOSS for the caller and an error line for the operator.
  /// The damage: with the server stopped, Python's sqlite3 moves every page into the main file,
  /// then the first page of the users table is overwritten.
  @Test func aDamagedDatabaseIsDataLossAndLogged() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    var server = try ProfiledProcess(dataDirectory: directory)
    try await withProfileClient(socketPath: server.socketPath) { client in
      _ = try await client.rpc.unary(
        Accounts.signUp,
        Accounts.SignUpRequest(email: "damaged@example.com", password: "damaged-1", firstName: "D", lastName: "L"))
    }
    #expect(server.stop() == .exited(0))
    let damage = """
      import sqlite3, sys
      path = sys.argv[1]
      db = sqlite3.connect(path)
      assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
      root = db.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()[0]
      size = db.execute("PRAGMA page_size").fetchone()[0]
      db.close()
      with open(path, "r+b") as f:
          f.seek((root - 1) * size)
          f.write(bytes([255]) * 64)
      """
    let damaged = try PythonClientTests.runPython(
      arguments: ["-c", damage, directory + "/profiled.sqlite"], naming: "the damage script")
    #expect(damaged.status == 0, "\(damaged.standardError)")

    server = try ProfiledProcess(dataDirectory: directory)
    let failure = try await withProfileClient(socketPath: server.socketPath) { client in
      await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Accounts.signIn, Accounts.SignInRequest(email: "damaged@example.com", password: "damaged-1"),
          options: CallOptions(metadata: ["request-id": "damaged-1"]))
      }
    }
    #expect(failure?.code == .dataLoss)
    #expect(failure?.message == "the server's database is damaged; the server logged it with request id damaged-1")
    server.stop()
    let line = try #require(server.standardError().split(separator: "\n").first { $0.contains("request_id=damaged-1 ") })
    #expect(line.contains("status=DATA_LOSS"))
    #expect(line.contains("malformed"))
  }

  @Test func callerTextInTheLogIsEscapedAndCut() async throws {
    let directory = ProfiledProcess.temporaryDirectory()
    let server = try ProfiledProcess(dataDirectory: directory, arguments: ["--log-level", "debug", "--scrypt-log-n", "10"])
    // A request id that tries to end the line, forge another and drive a terminal; and an
    // unknown method name of 5,000 bytes.
    let forged = "abc\r\n2026-01-01T00:00:00Z info forged=1 \u{1B}[2J"
    try await withProfileClient(socketPath: server.socketPath) { client in
      _ = try await client.health.check(options: CallOptions(metadata: ["request-id": forged]))
      _ = try? await client.rpc.unary(
        MethodDescriptor<Empty, Empty>(service: "Nope", method: String(repeating: "m", count: 5_000), kind: .unary), Empty())
    }
    server.stop()
    let log = server.standardError()
    #expect(!log.contains("\r") && !log.contains("\u{1B}"))
    #expect(!log.split(separator: "\n").contains { $0.hasPrefix("2026-01-01T00:00:00Z") })
    let line = try #require(log.split(separator: "\n").first { $0.contains("request_id=\"abc") })
    #expect(line.contains(#"request_id="abc\r\n2026-01-01T00:00:00Z info forged=1 \u{1b}[2J""#))
    let unknown = try #require(log.split(separator: "\n").first { $0.contains("status=UNIMPLEMENTED") })
    #expect(unknown.contains("method=\"Nope/mmm"))
    #expect(unknown.utf8.count < 1_000)
  }
}

/// Emails whose sign-up the server acknowledged, appended from many tasks.
final class AcknowledgedWrites: Sendable {
  private let emails = Mutex<[String]>([])
  func append(_ email: String) { emails.withLock { $0.append(email) } }
  var all: [String] { emails.withLock { $0 } }
}
