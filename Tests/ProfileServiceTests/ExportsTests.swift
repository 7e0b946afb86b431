import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Synchronization
import Testing

@Suite struct ExportsTests {
  /// 2026-03-01T10:00:00Z.
  static let march1 = Date(timeIntervalSince1970: 1_772_359_200)

  static func exportFiles(_ server: ProfileTestServer) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: server.dataDirectory + "/exports")) ?? []).sorted()
  }

  @Test func anExportIsTheDailyUsagePerReasonAsCSV() async throws {
    let clock = TestClock(Self.march1)
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(10_000, client)
      try await team.consume(5, reason: "api-calls", client)
      try await team.consume(3, reason: "sms", client)
      clock.advance(by: 3600)
      try await team.consume(7, reason: "api-calls", client)
      clock.advance(by: 2 * 86_400)  // March 3rd; nothing on the 2nd
      try await team.consume(4, reason: "sms, \"bulk\"", client)
      clock.advance(by: 86_400)  // March 4th: outside the range
      try await team.consume(10, reason: "api-calls", client)
      clock.advance(by: 86_400)

      let exports = ExportCalls(client: client, user: team.owner)
      let started = try await exports.start("2026-03-01", "2026-03-03")
      #expect(started.id.hasPrefix("exp_") && started.status == .inProgress)
      #expect(started.from == "2026-03-01" && started.to == "2026-03-03" && started.createdAt == clock.now)
      let progress = try await exports.watch(started.id)
      let expected = [
        "date,reason,credits", "2026-03-01,api-calls,12", "2026-03-01,sms,3", #"2026-03-03,"sms, ""bulk""",4"#, "",
      ].joined(separator: "\n")
      #expect(progress.last == Exports.ExportProgress(
        id: started.id, status: .ready, daysDone: 3, daysTotal: 3, size: Int64(expected.utf8.count)))
      #expect(progress.dropLast().allSatisfy { $0.status == .inProgress && $0.daysTotal == 3 })

      let chunks = try await exports.download(started.id)
      let bytes = chunks.reduce(into: Data()) { $0 += $1.data }
      #expect(String(decoding: bytes, as: UTF8.self) == expected)
      #expect(chunks.first?.totalSize == Int64(bytes.count))
      #expect(chunks.first?.sha256 == SHA256.hexDigest(bytes))

      let listed = try #require(try await exports.list().first)
      #expect(listed.status == .ready && listed.size == Int64(bytes.count) && listed.sha256 == SHA256.hexDigest(bytes))
      #expect(listed.finishedAt == clock.now && listed.expiresAt == clock.now.addingTimeInterval(24 * 3600))
      #expect(Self.exportFiles(server) == ["\(started.id).csv"])
      #expect(try await server.auditActions(userID: team.owner.id).last == "export.start")

      // Watching an export that ended answers its end alone.
      #expect(try await exports.watch(started.id) == [progress.last!])
    }
  }

  @Test func reasonsThatLookLikeFormulasAreWrittenAsText() async throws {
    let clock = TestClock(Self.march1)
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(10_000, client)
      try await team.consume(1, reason: "=HYPERLINK(\"https://example.com\")", client)
      try await team.consume(2, reason: "+1-555", client)
      try await team.consume(3, reason: "-2", client)
      try await team.consume(4, reason: "@SUM(A1)", client)
      try await team.consume(5, reason: "sms=bulk", client)
      clock.advance(by: 86_400)

      let exports = ExportCalls(client: client, user: team.owner)
      let started = try await exports.start("2026-03-01", "2026-03-01")
      #expect(try await exports.watch(started.id).last?.status == .ready)
      let bytes = try await exports.download(started.id).reduce(into: Data()) { $0 += $1.data }
      #expect(String(decoding: bytes, as: UTF8.self).split(separator: "\n").sorted() == [
        #"2026-03-01,"'=HYPERLINK(""https://example.com"")",1"#, "2026-03-01,'+1-555,2", "2026-03-01,'-2,3",
        "2026-03-01,'@SUM(A1),4", "2026-03-01,sms=bulk,5", "date,reason,credits",
      ])
    }
  }

  /// A team that consumed `credits` on March 1 and, a day later, an export of that day, built.
  static func exportOfOneDay(
    consuming credits: Int64, _ client: ProfileClient, _ clock: TestClock
  ) async throws -> (ExportCalls, Exports.Export) {
    let team = try await CreditTeam.create(client)
    try await team.add(100, client)
    try await team.consume(credits, client)
    clock.advance(by: 86_400)
    let exports = ExportCalls(client: client, user: team.owner)
    let started = try await exports.start("2026-03-01", "2026-03-01")
    #expect(try await exports.finish(started.id).status == .ready)
    return (exports, started)
  }

  @Test func aFileDamagedOnDiskIsDataLossNotAShortDownload() async throws {
    let clock = TestClock(Self.march1)
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let (exports, started) = try await Self.exportOfOneDay(consuming: 1, client, clock)
      let whole = try await exports.download(started.id)
      let size = try #require(whole.first?.totalSize)
      #expect(whole.reduce(0) { $0 + $1.data.count } == Int(size))

      let path = server.dataDirectory + "/exports/\(started.id).csv"
      for damage in [Int64(size) - 1, Int64(size) + 5] {
        // Cut short, then grown past the recorded size (with zeros).
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.truncate(atOffset: UInt64(damage))
        try file.close()
        let error = await #expect(throws: RPCError.self) { try await exports.download(started.id) }
        #expect(error?.code == .dataLoss, "\(damage) bytes on disk")
        #expect(error?.message.contains("\(damage) bytes where \(size)") == true, "\(error?.message ?? "")")
      }
    }
  }

  /// A build that fails (here the exports directory was replaced by a file) ends the export
  /// `failed`, tells the caller only that the server logged why, and reports the cause, with the
  /// system's reason, to the server's background-failure hook under the export's id.
  @Test func aBuildThatFailsReportsItsCause() async throws {
    let reports = Mutex<[(work: String, error: String)]>([])
    let clock = TestClock(Self.march1)
    try await ProfileTestServer.with(configure: { configuration in
      configuration.now = clock.reading
      configuration.onBackgroundFailure = { work, error in reports.withLock { $0.append((work, error)) } }
    }) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      try await team.consume(3, client)
      clock.advance(by: 86_400)
      let directory = server.dataDirectory + "/exports"
      try FileManager.default.removeItem(atPath: directory)
      try Data("not a directory".utf8).write(to: URL(fileURLWithPath: directory))

      let exports = ExportCalls(client: client, user: team.owner)
      let started = try await exports.start("2026-03-01", "2026-03-01")
      let failed = try await exports.finish(started.id)
      #expect(failed.status == .failed)
      #expect(failed.message == "it could not be built (the server logged why under its id); start a new export")
      let report = try #require(reports.withLock { $0 }.first)
      #expect(report.work == "export \(started.id) build")
      #expect(report.error == "cannot create \(directory)/\(started.id).csv.partial: Not a directory")
    }
    #expect(reports.withLock { $0 }.count == 1)
  }

  @Test func aJobWhoseBookkeepingWritesFailAtFirstStillEndsReady() async throws {
    // The first two tries of the write that starts the job, and of the one that records its end,
    // fail as a full disk would: the job must not stay in progress until a restart.
    let failures = Mutex<[String: Int]>([:])
    let clock = TestClock(Self.march1)
    try await ProfileTestServer.with(configure: { configuration in
      configuration.now = clock.reading
      configuration.beforeExportWrite = { step in
        let count = failures.withLock { counts -> Int in
          counts[step, default: 0] += 1
          return counts[step]!
        }
        if step != "recover" && count <= 2 { throw RPCError(.internal, "the disk is full (test)") }
      }
    }) { _, client throws in
      let (exports, started) = try await Self.exportOfOneDay(consuming: 7, client, clock)
      #expect(failures.withLock { $0 } == ["recover": 1, "start": 3, "finish": 3])
      let bytes = try await exports.download(started.id).reduce(into: Data()) { $0 += $1.data }
      #expect(String(decoding: bytes, as: UTF8.self).contains("api-calls,7"))
      #expect(try await exports.list().map(\.status) == [.ready])
    }
  }

  @Test func deletingTheAccountDeletesItsExportsAndTheirFiles() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      try await team.consume(1, client)
      let exports = ExportCalls(client: client, user: team.owner)
      let started = try await exports.start("2025-01-01", "2025-01-31")
      #expect(try await exports.finish(started.id).status == .ready)
      #expect(Self.exportFiles(server) == ["\(started.id).csv"])

      _ = try await client.rpc.unary(
        Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: team.owner.password),
        options: team.owner.options)
      #expect(Self.exportFiles(server).isEmpty)
      let rows = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM exports")
      }
      #expect(rows == 0)
    }
  }

  @Test func anExportBuiltWhileItsAccountIsDeletedLeavesNoFile() async throws {
    // One worker: when the second export is ready, the first one's job has ended.
    try await ProfileTestServer.with(configure: { $0.exportWorkers = 1 }) { server, client throws in
      let team = try await CreditTeam.create(client)
      let organizationID = team.organizationID
      // A year of usage, so that the build is likely still running when the account goes.
      try await server.services.environment.database.write { db in
        let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
        for index in 0..<50_000 {
          try db.execute(
            sql: """
              INSERT INTO credit_transactions (organization_id, time, kind, amount, reason, actor)
              VALUES (?, ?, 2, -1, ?, 'test')
              """,
            organizationID, start.addingTimeInterval(Double(index) * 630), "reason-\(index % 50)")
        }
      }
      let other = try await CreditTeam.create(client)
      let first = try await ExportCalls(client: client, user: team.owner).start("2025-01-01", "2025-12-31")
      let otherExports = ExportCalls(client: client, user: other.owner)
      let second = try await otherExports.start("2025-01-01", "2025-01-31")

      _ = try await client.rpc.unary(
        Accounts.deleteAccount, Accounts.DeleteAccountRequest(currentPassword: team.owner.password),
        options: team.owner.options)
      #expect(try await otherExports.finish(second.id).status == .ready)
      // Whichever ended first, the build or the deletion, the deleted account's file is gone.
      #expect(Self.exportFiles(server) == ["\(second.id).csv"])
      #expect(!Self.exportFiles(server).contains { $0.hasPrefix(first.id) })
    }
  }

  @Test func aLargeDownloadComesInChunksWhoseChecksumMatches() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      let organizationID = team.organizationID
      let yesterday = Date().addingTimeInterval(-86_400)
      try await server.services.environment.database.write { db in
        for index in 0..<4_000 {
          _ = try db.insertCreditTransaction(
            CreditTransactionRecord(
              id: 0, organizationID: organizationID, time: yesterday, kind: 2, amount: -Int64(index + 1),
              reason: "reason-\(index)", actor: "test"),
            balance: 0)
        }
      }
      let exports = ExportCalls(client: client, user: team.owner)
      let day = String(yesterday.ISO8601Format().prefix(10))
      let started = try await exports.start(day, day)
      #expect(try await exports.finish(started.id).status == .ready)
      let chunks = try await exports.download(started.id)
      let bytes = chunks.reduce(into: Data()) { $0 += $1.data }
      #expect(chunks.count >= 2)
      #expect(chunks.allSatisfy { $0.data.count <= 64 * 1024 })
      #expect(chunks.map(\.offset) == chunks.indices.map { index in Int64(chunks[..<index].map(\.data.count).reduce(0, +)) })
      #expect(chunks.dropFirst().allSatisfy { $0.totalSize == nil && $0.sha256 == nil })
      #expect(chunks.first?.totalSize == Int64(bytes.count))
      #expect(chunks.first?.sha256 == SHA256.hexDigest(bytes))
      let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
      #expect(lines.count == 4_001)
      #expect(lines.contains("\(day),reason-3999,4000"))
      let onDisk = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/exports/\(started.id).csv"))
      #expect(onDisk == bytes)
    }
  }

  @Test func rangesAreValidatedOneViolationPerField() async throws {
    let clock = TestClock(Self.march1)  // today is 2026-03-01
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let team = try await CreditTeam.create(client)
      let exports = ExportCalls(client: client, user: team.owner)
      let cases: [(String, String, [String])] = [
        ("2026-13-01", "2026-02-01", ["from"]),
        ("2024-02-30", "2024-03-01", ["from"]),
        ("march", "2026-02-01T00:00:00Z", ["from", "to"]),
        ("", "", ["from", "to"]),
        ("2026-02-05", "2026-02-01", ["from"]),
        ("2026-02-01", "2026-03-02", ["to"]),
        ("2026-03-02", "2026-03-03", ["from", "to"]),
        ("2025-02-28", "2026-03-01", ["to"]),  // 367 days
        ("2026-02-05", "2026-03-02", ["to"]),
      ]
      for (from, to, fields) in cases {
        let error = await #expect(throws: RPCError.self) { try await exports.start(from, to) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == fields, "\(from) \(to)")
      }
      #expect(try await exports.list().isEmpty)
      // The limits themselves pass: 366 days, ending today, a leap day.
      #expect(try await exports.start("2025-03-01", "2026-03-01").status == .inProgress)
      #expect(try await exports.start("2024-02-29", "2024-02-29").status == .inProgress)
      #expect(try await exports.list().count == 2)

      let other = ExportCalls(client: client, user: try await team.member(.member, client))
      let id = try #require(try await exports.list().first?.id)
      let notTheirs = await #expect(throws: RPCError.self) { try await other.download(id) }
      #expect(notTheirs?.code == .notFound)
      let watchNotTheirs = await #expect(throws: RPCError.self) { try await other.watch(id) }
      #expect(watchNotTheirs?.code == .notFound)
      #expect(try await other.list().isEmpty)
      let malformed = await #expect(throws: RPCError.self) { try await other.watch("../secrets.key") }
      #expect(malformed?.details.fieldViolations?.map(\.field) == ["id"])
      _ = server
    }
  }

  @Test func everyMethodNeedsATokenAndACreditBasedOrganizationToStart() async throws {
    try await ProfileTestServer.with { _, client throws in
      let anonymous = ExportCalls(
        client: client, user: TestUser(id: "usr_none", email: "none@example.com", password: "x", token: "unknown"))
      var errors: [RPCError?] = []
      errors.append(await #expect(throws: RPCError.self) { try await anonymous.start("2026-01-01", "2026-01-01") })
      errors.append(await #expect(throws: RPCError.self) { try await anonymous.list() })
      errors.append(await #expect(throws: RPCError.self) { try await anonymous.watch("exp_abc") })
      errors.append(await #expect(throws: RPCError.self) { try await anonymous.download("exp_abc") })
      #expect(errors.map { $0?.code } == Array(repeating: .unauthenticated, count: 4))

      let team = try await CreditTeam.create(client, creditBased: false)
      let refused = await #expect(throws: RPCError.self) {
        try await ExportCalls(client: client, user: team.owner).start("2026-01-01", "2026-01-01")
      }
      #expect(refused?.code == .failedPrecondition)
      #expect(refused?.details.preconditionViolations?.map(\.type) == ["NOT_CREDIT_BASED"])
    }
  }

  @Test func theHistoryKeepsTheLastFiveAndDeletesTheRest() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      let exports = ExportCalls(client: client, user: team.owner)
      var ids: [String] = []
      for month in 1...7 {
        let started = try await exports.start("2025-0\(month)-01", "2025-0\(month)-28")
        #expect(try await exports.finish(started.id).status == .ready)
        ids.append(started.id)
      }
      let listed = try await exports.list()
      #expect(listed.map(\.id) == ids.suffix(5).reversed())
      #expect(listed.map(\.from) == (3...7).reversed().map { "2025-0\($0)-01" })
      #expect(listed.allSatisfy { $0.status == .ready })
      #expect(Self.exportFiles(server) == ids.suffix(5).map { "\($0).csv" }.sorted())
      let gone = await #expect(throws: RPCError.self) { try await exports.download(ids[0]) }
      #expect(gone?.code == .notFound)
      #expect(try await server.auditActions(userID: team.owner.id).filter { $0 == "export.start" }.count == 7)
    }
  }

  @Test func onlyFiveExportsRunAtOnceForOneUser() async throws {
    try await ProfileTestServer.with(configure: { $0.exportWorkers = 0 }) { _, client throws in
      let team = try await CreditTeam.create(client)
      let exports = ExportCalls(client: client, user: team.owner)
      for _ in 1...5 { _ = try await exports.start("2025-01-01", "2025-01-31") }
      let refused = await #expect(throws: RPCError.self) { try await exports.start("2025-01-01", "2025-01-31") }
      #expect(refused?.code == .resourceExhausted)
      let listed = try await exports.list()
      #expect(listed.count == 5 && listed.allSatisfy { $0.status == .inProgress && $0.finishedAt == nil })
      let notReady = await #expect(throws: RPCError.self) { try await exports.download(listed[0].id) }
      #expect(notReady?.code == .failedPrecondition)
      #expect(notReady?.details.preconditionViolations?.map(\.type) == ["EXPORT_NOT_READY"])
    }
  }

  @Test func theServerHoldsAtMostItsLimitOfExportsInProgress() async throws {
    try await ProfileTestServer.with(configure: {
      $0.exportWorkers = 0
      $0.maxExportsInProgress = 3
    }) { _, client throws in
      // Two accounts, each under its own limit of five, reach the server's three together.
      let first = ExportCalls(client: client, user: try await CreditTeam.create(client).owner)
      let second = ExportCalls(client: client, user: try await CreditTeam.create(client).owner)
      _ = try await first.start("2025-01-01", "2025-01-31")
      _ = try await first.start("2025-02-01", "2025-02-28")
      _ = try await second.start("2025-01-01", "2025-01-31")
      let refused = await #expect(throws: RPCError.self) { try await second.start("2025-02-01", "2025-02-28") }
      #expect(refused?.code == .resourceExhausted)
      #expect(refused?.details.retryAfterMilliseconds == 60_000)
      #expect(refused?.details.quotaViolations?.first?.description.contains("on the server") == true)
      #expect(try await second.list().count == 1)
    }
  }

  @Test func anExportPastItsTimeBudgetEndsTimedOut() async throws {
    try await ProfileTestServer.with(configure: { $0.exportTimeBudget = .nanoseconds(1) }) { server, client throws in
      let team = try await CreditTeam.create(client)
      let exports = ExportCalls(client: client, user: team.owner)
      let started = try await exports.start("2025-01-01", "2025-12-31")
      let last = try await exports.finish(started.id)
      #expect(last.status == .timedOut && last.size == nil)
      #expect(last.message?.contains("time budget") == true)
      let listed = try #require(try await exports.list().first)
      #expect(listed.status == .timedOut && listed.finishedAt != nil && listed.size == nil && listed.expiresAt == nil)
      let error = await #expect(throws: RPCError.self) { try await exports.download(started.id) }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.map(\.type) == ["EXPORT_NOT_READY"])
      #expect(Self.exportFiles(server).isEmpty)
    }
  }

  @Test func aDownloadExpiresADayAfterTheExportFinishedAndItsFileIsDeleted() async throws {
    let clock = TestClock(Self.march1)
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      try await team.consume(1, client)
      let exports = ExportCalls(client: client, user: team.owner)
      let started = try await exports.start("2026-02-01", "2026-03-01")
      #expect(try await exports.finish(started.id).status == .ready)

      clock.advance(by: 24 * 3600 - 1)
      #expect(try await exports.download(started.id).count == 1)
      clock.advance(by: 1)
      let error = await #expect(throws: RPCError.self) { try await exports.download(started.id) }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.message.contains("expired") == true)
      #expect(error?.details.preconditionViolations?.map(\.type) == ["EXPORT_EXPIRED"])
      #expect(try await exports.list().map(\.status) == [.expired])
      #expect(Self.exportFiles(server).isEmpty)
    }
  }
}
