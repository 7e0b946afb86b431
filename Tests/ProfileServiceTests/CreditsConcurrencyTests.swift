import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct CreditsConcurrencyTests {
  /// 64 metering callers, each on its own connection, race to consume more than the balance
  /// holds: exactly the balance is taken, every other call is refused, and the balance row
  /// equals the sum of the transactions.
  @Test func sixtyFourConcurrentConsumersNeverOverdraw() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      let initial: Int64 = 1_000
      try await team.add(initial, client)
      let callers = 64
      let attemptsPerCaller = 12
      let socketPath = server.socketPath
      let organizationID = team.organizationID
      // Amounts 1, 2 and 3 in turn: 64 x 12 attempts ask for 1,536 credits of the 1,000.
      let outcomes = try await withThrowingTaskGroup(of: (taken: Int64, refused: Int).self) { group in
        for caller in 0..<callers {
          group.addTask {
            try await withProfileClient(socketPath: socketPath) { connection in
              var taken: Int64 = 0
              var refused = 0
              for attempt in 0..<attemptsPerCaller {
                let amount = Int64((caller + attempt) % 3 + 1)
                do {
                  let change = try await connection.rpc.unary(
                    Credits.consumeCredits,
                    Credits.ConsumeCreditsRequest(organizationId: organizationID, amount: amount, reason: "race"))
                  #expect(change.balance >= 0)
                  taken += amount
                } catch let error as RPCError {
                  #expect(error.code == .failedPrecondition)
                  #expect(error.details.preconditionViolations?.first?.type == "INSUFFICIENT_CREDITS")
                  refused += 1
                }
              }
              return (taken, refused)
            }
          }
        }
        return try await group.reduce(into: [(taken: Int64, refused: Int)]()) { $0.append($1) }
      }
      let taken = outcomes.map(\.taken).reduce(0, +)
      let refused = outcomes.map(\.refused).reduce(0, +)
      let stored = try await team.stored(server)
      #expect(refused > 0)
      #expect(taken <= initial)
      #expect(stored.balance == initial - taken)
      #expect(stored.balance == stored.sum)
      #expect(stored.balance < 3)  // refused calls only once nothing more could be taken
      #expect(stored.count == 1 + callers * attemptsPerCaller - refused)
      #expect(try await team.summary(client).balance == stored.balance)
    }
  }
}
