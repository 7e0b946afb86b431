import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct CreditsHistoryTests {
  /// The estimate is the consumption of the last 30 days (or of the history, when shorter,
  /// counted as at least a day) scaled to 30 days.
  @Test func theMonthlyEstimateProjectsTheLastThirtyDays() async throws {
    let clock = TestClock(Date(timeIntervalSince1970: 1_750_000_000))
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { _, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(10_000, client)
      #expect(try await team.summary(client).estimatedMonthlyUsage == 0)

      clock.advance(by: 3600)
      try await team.consume(10, client)  // 10 in the first hour: counted as one day, x30
      #expect(try await team.summary(client).estimatedMonthlyUsage == 300)

      clock.advance(by: 10 * 86_400 - 3600)
      try await team.consume(90, client)  // 100 over 10 days: x3
      #expect(try await team.summary(client).estimatedMonthlyUsage == 300)

      clock.advance(by: 15 * 86_400)
      try await team.consume(25, client)  // 125 over 25 days: x1.2
      #expect(try await team.summary(client).estimatedMonthlyUsage == 150)

      clock.advance(by: 25 * 86_400)  // day 50: only day 25's 25 and today's 200 are in the window
      try await team.consume(200, client)
      let owner = try await team.signInAgain(team.owner, client)  // the session's 30 days are over
      let summary = try await team.summary(client, as: owner)
      #expect(summary.estimatedMonthlyUsage == 225)
      #expect(summary.balance == 10_000 - 325)
    }
  }

  @Test func transactionsStreamNewestFirstWithinARangeAndALimit() async throws {
    let start = Date(timeIntervalSince1970: 1_750_000_000)
    let clock = TestClock(start)
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(1_000, reason: "first", client)
      for minute in 1...24 {
        clock.advance(by: 60)
        try await team.consume(Int64(minute), reason: "use-\(minute)", client)
      }
      func list(_ request: Credits.ListTransactionsRequest) async throws -> [Credits.Transaction] {
        var transactions: [Credits.Transaction] = []
        for try await transaction in client.rpc.serverStreaming(
          Credits.listTransactions, request, options: team.owner.options)
        {
          transactions.append(transaction)
        }
        return transactions
      }
      let all = try await list(Credits.ListTransactionsRequest())
      #expect(all.count == 25)
      #expect(all.map(\.reason) == (1...24).reversed().map { "use-\($0)" } + ["first"])
      #expect(all.map(\.amount) == (1...24).reversed().map { -Int64($0) } + [1_000])
      #expect(all.last?.kind == .added && all.first?.kind == .consumed)
      #expect(zip(all, all.dropFirst()).allSatisfy { $0.time > $1.time && $0.id > $1.id })

      #expect(try await list(Credits.ListTransactionsRequest(limit: 3)).map(\.reason) == ["use-24", "use-23", "use-22"])
      let range = try await list(
        Credits.ListTransactionsRequest(from: start.addingTimeInterval(5 * 60), to: start.addingTimeInterval(8 * 60)))
      #expect(range.map(\.reason) == ["use-7", "use-6", "use-5"])  // from inclusive, to exclusive

      let summary = try await team.summary(client)
      #expect(summary.recentTransactions == Array(all.prefix(10)))
      #expect(summary.balance == 1_000 - 300)

      // Beyond one page of the server's reads: ties in time still come newest id first.
      let organizationID = team.organizationID
      try await server.services.environment.database.write { db in
        let balance = try db.creditBalance(organizationID: organizationID)
        for index in 0..<1_200 {
          _ = try db.insertCreditTransaction(
            CreditTransactionRecord(
              id: 0, organizationID: organizationID, time: start.addingTimeInterval(3600 + Double(index / 2)),
              kind: 1, amount: 1, reason: "bulk", actor: "test"),
            balance: balance + Int64(index) + 1)
        }
      }
      let long = try await list(Credits.ListTransactionsRequest(limit: 1_100))
      #expect(long.count == 1_100)
      #expect(zip(long, long.dropFirst()).allSatisfy { $0.time > $1.time || ($0.time == $1.time && $0.id > $1.id) })
      #expect(Set(long.map(\.id)).count == 1_100)
      #expect(try await list(Credits.ListTransactionsRequest(limit: 10_000)).count == 1_225)
    }
  }

  @Test func listingValidatesAndNeedsAToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let team = try await CreditTeam.create(client)
      let now = Date()
      let cases: [(Credits.ListTransactionsRequest, [String])] = [
        (Credits.ListTransactionsRequest(limit: 0), ["limit"]),
        (Credits.ListTransactionsRequest(limit: 10_001), ["limit"]),
        (Credits.ListTransactionsRequest(from: now, to: now.addingTimeInterval(-1)), ["from"]),
        (Credits.ListTransactionsRequest(from: now, to: now.addingTimeInterval(-1), limit: -1), ["limit", "from"]),
      ]
      for (request, fields) in cases {
        let error = await #expect(throws: RPCError.self) {
          for try await _ in client.rpc.serverStreaming(Credits.listTransactions, request, options: team.owner.options) {}
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == fields)
      }
      let anonymous = await #expect(throws: RPCError.self) {
        for try await _ in client.rpc.serverStreaming(Credits.listTransactions, Credits.ListTransactionsRequest()) {}
      }
      #expect(anonymous?.code == .unauthenticated)
      let noSummary = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Credits.getCredits, Empty())
      }
      #expect(noSummary?.code == .unauthenticated)
    }
  }
}
