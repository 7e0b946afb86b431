import Foundation
import Glibc
import ProfileAPI
import ProfileService
import ProfileStore
import RPC

/// The credits and exports scenarios: a credit-based organization per caller, a stream of
/// transactions, and a year of usage exported.
extension RPCScenarios {
  /// Transactions the ListTransactions stream reads from; one call streams them all.
  static let streamedTransactions = 10_000
  /// Consumption records of the exported year.
  static let exportedRecords = 1_000_000
  /// The reasons the exported usage is spread over: the CSV has a row per day and reason.
  static let exportReasons = ["api-calls", "sms", "email", "storage", "exports", "webhooks", "reports", "search"]

  /// Creates a credit-based organization owned by `account`, makes it the session's current
  /// one and adds `credits`; returns its id.
  static func creditOrganization(for account: Account, on client: RPCClient, credits: Int64) async throws -> String {
    let options = account.bearer
    let organization = try await client.unary(
      Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Bench credits"), options: options)
    _ = try await client.unary(
      Organizations.updateOrganization,
      Organizations.UpdateOrganizationRequest(id: organization.id, creditBased: true), options: options)
    _ = try await client.unary(
      Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: organization.id), options: options)
    _ = try await client.unary(
      Credits.addCredits, Credits.AddCreditsRequest(amount: credits, reason: "bench"), options: options)
    return organization.id
  }

  /// Opens one connection, gives a new user's organization ``streamedTransactions``
  /// transactions (made with 64 concurrent ConsumeCredits calls, untimed), then calls `body`
  /// with a stream closure that reads the given number of transactions with as many
  /// `ListTransactions` calls of at most 10,000 as it takes.
  static func withTransactionStream<Value>(
    socketPath: String,
    _ body: (_ stream: @escaping LoadDriver.Stream, _ executor: any TaskExecutor) async throws -> Value
  ) async throws -> Value {
    let client = try RPCClient(socketPath: socketPath)
    defer { client.close() }
    let account = try await signUpAndSignIn(on: client)
    let organizationID = try await creditOrganization(
      for: account, on: client, credits: Int64(streamedTransactions))
    try await withThrowingTaskGroup(of: Void.self) { group in
      for worker in 0..<64 {
        group.addTask {
          for _ in stride(from: worker, to: streamedTransactions - 1, by: 64) {
            _ = try await client.unary(
              Credits.consumeCredits,
              Credits.ConsumeCreditsRequest(organizationId: organizationID, amount: 1, reason: "bench"))
          }
        }
      }
      try await group.waitForAll()
    }
    let options = account.bearer
    let stream: LoadDriver.Stream = { count in
      var received = 0
      while received < count {
        let limit = min(count - received, streamedTransactions)
        var page = 0
        for try await _ in client.serverStreaming(
          Credits.listTransactions, Credits.ListTransactionsRequest(limit: limit), options: options)
        {
          page += 1
        }
        guard page == limit else {
          throw BenchError.protocolViolation("ListTransactions streamed \(page) transactions, not \(limit)")
        }
        received += page
      }
      return received
    }
    return try await body(stream, client.executor)
  }

  /// Runs a server in this process on a fresh data directory, seeds one credit-based
  /// organization with ``exportedRecords`` consumption records spread over the last 365 days
  /// (straight in SQL, one transaction, untimed), then times `StartExport` of those 366 days
  /// until `WatchExport` reports it ready. Returns the time and the CSV's size.
  static func timeYearExport() async throws -> (duration: Duration, size: Int64) {
    let directory = dataDirectory(pid: getpid()) + "-export"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = ServiceConfiguration(dataDirectory: directory)
    configuration.passwordHashing = passwordHashing
    let services = try ProfileServices(configuration: configuration)
    let socketPath = ChildServer.temporarySocketPath(tag: "export")
    do {
      let result = try await withRPCServer(
        configuration: ServerConfiguration(socketPath: socketPath), services: services.services
      ) { _ in
        let client = try RPCClient(socketPath: socketPath)
        defer { client.close() }
        let account = try await signUpAndSignIn(on: client)
        let organizationID = try await creditOrganization(for: account, on: client, credits: 1)
        let now = Date()
        try await seedYear(of: organizationID, ending: now, in: services.environment.database)
        let clock = ContinuousClock()
        let start = clock.now
        let export = try await client.unary(
          Exports.startExport,
          Exports.StartExportRequest(
            from: String(now.addingTimeInterval(-365 * 86_400).ISO8601Format().prefix(10)),
            to: String(now.ISO8601Format().prefix(10))),
          options: account.bearer)
        var last: Exports.ExportProgress?
        for try await progress in client.serverStreaming(
          Exports.watchExport, Exports.ExportRequest(id: export.id), options: account.bearer)
        {
          last = progress
        }
        let elapsed = start.duration(to: clock.now)
        guard let last, last.status == .ready, let size = last.size else {
          throw BenchError.protocolViolation("the export ended \(last.map { "\($0.status)" } ?? "without a message")")
        }
        return (elapsed, size)
      }
      await services.close()
      return result
    } catch {
      await services.close()
      throw error
    }
  }

  /// Writes ``exportedRecords`` consumption records of 1 credit, evenly spread over the 365
  /// days before `end` and over ``exportReasons``, after one addition that covers them, so the
  /// balance still equals the sum of the transactions.
  private static func seedYear(of organizationID: String, ending end: Date, in database: ProfileDatabase) async throws {
    let records = exportedRecords
    let reasons = exportReasons
    try await database.write { db in
      let start = end.addingTimeInterval(-365 * 86_400)
      let step = 365 * 86_400 / Double(records)
      try db.execute(
        sql: "INSERT INTO credit_transactions (organization_id, time, kind, amount, reason, actor) VALUES (?, ?, 1, ?, 'seed', 'bench')",
        organizationID, start.addingTimeInterval(-1), Int64(records))
      for index in 0..<records {
        try db.execute(
          sql: "INSERT INTO credit_transactions (organization_id, time, kind, amount, reason, actor) VALUES (?, ?, 2, -1, ?, 'bench')",
          organizationID, start.addingTimeInterval(Double(index) * step), reasons[index % reasons.count])
      }
      try db.execute(sql: "UPDATE credit_balances SET balance = 1 WHERE organization_id = ?", organizationID)
    }
  }
}
