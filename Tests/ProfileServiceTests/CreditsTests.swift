import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct CreditsTests {
  enum Actor: String, CaseIterable, Sendable {
    case owner, admin, billingAdmin, member, anonymous
  }

  @Test(arguments: Actor.allCases)
  func onlyOwnersAdminsAndBillingAdminsAddCredits(actor: Actor) async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      let options: CallOptions
      var user: TestUser?
      switch actor {
      case .owner: user = team.owner
      case .admin: user = try await team.member(.admin, client)
      case .billingAdmin: user = try await team.member(.billingAdmin, client)
      case .member: user = try await team.member(.member, client)
      case .anonymous: user = nil
      }
      options = user?.options ?? CallOptions()
      let call = { try await client.rpc.unary(Credits.addCredits, Credits.AddCreditsRequest(amount: 250, reason: "Invoice 7"), options: options) }
      switch actor {
      case .owner, .admin, .billingAdmin:
        let change = try await call()
        #expect(change.balance == 250)
        #expect(change.transaction.amount == 250 && change.transaction.kind == .added)
        #expect(change.transaction.reason == "Invoice 7" && change.transaction.actor == user?.id)
        #expect(try await server.auditActions(userID: user!.id).last == "credits.add")
        // Every member reads the balance.
        #expect(try await team.summary(client).balance == 250)
      case .member, .anonymous:
        let error = await #expect(throws: RPCError.self) { try await call() }
        #expect(error?.code == (actor == .member ? .permissionDenied : .unauthenticated))
        #expect(try await team.stored(server).count == 0)
        if let user {
          #expect(try await team.summary(client, as: user).balance == 0)
          #expect(try await server.auditActions(userID: user.id).contains("credits.add") == false)
        }
      }
    }
  }

  @Test func aUserOutsideTheOrganizationActsOnTheirOwnAndCannotReachIt() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      // A stranger's current organization is their personal one, which has no credits.
      let stranger = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await team.add(100, as: stranger, client)
      }
      #expect(error?.code == .failedPrecondition)
      #expect(error?.details.preconditionViolations?.first?.type == "NOT_CREDIT_BASED")
      // A member removed behind the session's back (straight in the database) is refused.
      let member = try await team.member(.billingAdmin, client)
      try await server.services.environment.database.write { db in
        try db.deleteMembership(organizationID: team.organizationID, userID: member.id)
      }
      let removed = await #expect(throws: RPCError.self) { try await team.add(5, as: member, client) }
      #expect(removed?.code == .notFound)
      #expect(try await team.stored(server).balance == 100)
    }
  }

  @Test func everyMethodRefusesAnOrganizationThatIsNotCreditBased() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client, creditBased: false)
      var errors: [RPCError?] = []
      errors.append(await #expect(throws: RPCError.self) { try await team.summary(client) })
      errors.append(await #expect(throws: RPCError.self) { try await team.add(10, client) })
      errors.append(await #expect(throws: RPCError.self) { try await team.consume(10, client) })
      errors.append(
        await #expect(throws: RPCError.self) {
          for try await _ in client.rpc.serverStreaming(
            Credits.listTransactions, Credits.ListTransactionsRequest(), options: team.owner.options)
          {}
        })
      for error in errors {
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message.contains("not on credit-based pricing") == true)
        #expect(error?.details.preconditionViolations?.map(\.type) == ["NOT_CREDIT_BASED"])
      }
      #expect(try await team.stored(server).count == 0)
    }
  }

  @Test func amountsAndReasonsAreValidated() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      let bad: [(Int64, String, [String])] = [
        (0, "ok", ["amount"]), (-5, "ok", ["amount"]), (1_000_000_001, "ok", ["amount"]),
        (10, "", ["reason"]), (10, "bad\u{0}reason", ["reason"]), (10, String(repeating: "r", count: 201), ["reason"]),
        (0, "   ", ["amount", "reason"]),
      ]
      for (amount, reason, fields) in bad {
        let added = await #expect(throws: RPCError.self) { try await team.add(amount, reason: reason, client) }
        #expect(added?.code == .invalidArgument)
        #expect(added?.details.fieldViolations?.map(\.field) == fields)
        let consumed = await #expect(throws: RPCError.self) { try await team.consume(amount, reason: reason, client) }
        #expect(consumed?.details.fieldViolations?.map(\.field) == fields)
      }
      let everything = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Credits.consumeCredits, Credits.ConsumeCreditsRequest(organizationId: "nope; DROP TABLE", amount: 0, reason: ""))
      }
      #expect(everything?.details.fieldViolations?.map(\.field) == ["organizationId", "amount", "reason"])
      let longKey = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Credits.addCredits, Credits.AddCreditsRequest(amount: 1, reason: "x"),
          options: CallOptions(metadata: [
            "authorization": "Bearer \(team.owner.token)", "idempotency-key": String(repeating: "k", count: 256),
          ]))
      }
      #expect(longKey?.details.fieldViolations?.map(\.field) == ["idempotency-key"])
      #expect(try await team.stored(server).count == 0)
      // The largest amount is accepted; the balance limit is a precondition.
      #expect(try await team.add(1_000_000_000, client).balance == 1_000_000_000)
      let organizationID = team.organizationID
      try await server.services.environment.database.write { db in
        _ = try db.insertCreditTransaction(
          CreditTransactionRecord(
            id: 0, organizationID: organizationID, time: Date(), kind: 1, amount: 999_000_000_000, reason: "seed",
            actor: "test"),
          balance: 1_000_000_000_000)
      }
      let limit = await #expect(throws: RPCError.self) { try await team.add(1, client) }
      #expect(limit?.details.preconditionViolations?.map(\.type) == ["BALANCE_LIMIT"])
    }
  }

  @Test func anIdempotencyKeyMakesARetryReturnTheFirstResult() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let team = try await CreditTeam.create(client)
      func add(_ amount: Int64, key: String, reason: String = "Invoice 1") async throws -> Credits.BalanceChange {
        try await client.rpc.unary(
          Credits.addCredits, Credits.AddCreditsRequest(amount: amount, reason: reason),
          options: CallOptions(metadata: ["authorization": "Bearer \(team.owner.token)", "idempotency-key": key]))
      }
      let first = try await add(300, key: "pay-1")
      try await team.consume(100, client)
      let retry = try await add(300, key: "pay-1")
      #expect(retry == first)  // the same transaction and the balance it left, not today's
      #expect(retry.balance == 300)
      #expect(try await team.stored(server) == (200, 200, 2))

      let reused = await #expect(throws: RPCError.self) { try await add(301, key: "pay-1") }
      #expect(reused?.code == .failedPrecondition)
      #expect(reused?.details.preconditionViolations?.map(\.type) == ["IDEMPOTENCY_KEY_REUSED"])
      let otherReason = await #expect(throws: RPCError.self) { try await add(300, key: "pay-1", reason: "Invoice 2") }
      #expect(otherReason?.code == .failedPrecondition)

      let second = try await add(300, key: "pay-2")
      #expect(second.transaction.id != first.transaction.id && second.balance == 500)
      #expect(try await server.auditActions(userID: team.owner.id).filter { $0 == "credits.add" }.count == 2)

      // A day later the key is forgotten: the same request adds again.
      clock.advance(by: 24 * 3600 + 1)
      let later = try await add(300, key: "pay-1")
      #expect(later.transaction.id != first.transaction.id && later.balance == 800)
    }
  }

  @Test func anIdempotencyKeyMakesAConsumeRetryTakeNothingMore() async throws {
    let clock = TestClock()
    try await ProfileTestServer.with(configure: { $0.now = clock.reading }) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(300, client)

      // The metering service lost the answer and retries: one charge, the first answer again.
      let first = try await team.consume(100, idempotencyKey: "meter-1", client)
      let retry = try await team.consume(100, idempotencyKey: "meter-1", client)
      #expect(retry == first && retry.balance == 200)
      #expect(try await team.stored(server) == (200, 200, 2))
      #expect(try await server.auditActions(userID: team.organizationID).filter { $0 == "credits.consume" }.count == 1)

      let reused = await #expect(throws: RPCError.self) { try await team.consume(101, idempotencyKey: "meter-1", client) }
      #expect(reused?.code == .failedPrecondition)
      #expect(reused?.details.preconditionViolations?.map(\.type) == ["IDEMPOTENCY_KEY_REUSED"])
      #expect(try await team.consume(100, idempotencyKey: "meter-2", client).balance == 100)

      // A call that failed left no key: once the balance allows it, the retry charges, once.
      let short = await #expect(throws: RPCError.self) { try await team.consume(150, idempotencyKey: "meter-3", client) }
      #expect(short?.details.preconditionViolations?.map(\.type) == ["INSUFFICIENT_CREDITS"])
      try await team.add(100, client)
      #expect(try await team.consume(150, idempotencyKey: "meter-3", client).balance == 50)
      #expect(try await team.consume(150, idempotencyKey: "meter-3", client).balance == 50)

      // A user's key of the same text is another key: the owner's AddCredits adds.
      let added: Credits.BalanceChange = try await client.rpc.unary(
        Credits.addCredits, Credits.AddCreditsRequest(amount: 10, reason: "top-up"),
        options: CallOptions(metadata: ["authorization": "Bearer \(team.owner.token)", "idempotency-key": "meter-1"]))
      #expect(added.balance == 60)

      // Keys last a day, then the same request charges again.
      clock.advance(by: 24 * 3600 + 1)
      #expect(try await team.consume(10, idempotencyKey: "meter-1", client).balance == 50)
      #expect(try await team.stored(server) == (50, 50, 7))
    }
  }

  @Test func consumingNeverTakesMoreThanTheBalance() async throws {
    try await ProfileTestServer.with { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      let taken = try await team.consume(60, reason: "sms", client)
      #expect(taken.balance == 40)
      #expect(taken.transaction.amount == -60 && taken.transaction.kind == .consumed && taken.transaction.reason == "sms")
      #expect(taken.transaction.actor == "trusted:\(getuid())")
      let refused = await #expect(throws: RPCError.self) { try await team.consume(41, client) }
      #expect(refused?.code == .failedPrecondition)
      #expect(refused?.details.preconditionViolations?.map(\.type) == ["INSUFFICIENT_CREDITS"])
      #expect(refused?.message.contains("40") == true)
      #expect(try await team.consume(40, client).balance == 0)
      #expect(try await team.stored(server) == (0, 0, 3))

      let unknown = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Credits.consumeCredits, Credits.ConsumeCreditsRequest(organizationId: "org_unknown", amount: 1, reason: "x"))
      }
      #expect(unknown?.code == .notFound)

      // The audit entry joins the organization's trail, with the metering service as actor.
      let audit = try await server.services.environment.database.read { db in
        try db.auditEvents(subject: team.organizationID, from: nil, to: nil, limit: 10)
      }
      #expect(audit.map(\.action) == ["credits.consume", "credits.consume"])
      #expect(audit.allSatisfy { $0.actor == "trusted:\(getuid())" && $0.peerUID == getuid() })
    }
  }

  @Test func consumingIsForTrustedCallersOnly() async throws {
    try await ProfileTestServer.with(configureServer: { $0.trustedUIDs = [getuid() &+ 1000] }) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      let error = await #expect(throws: RPCError.self) { try await team.consume(1, client) }
      #expect(error?.code == .permissionDenied)
      #expect(try await team.stored(server).balance == 100)
    }
  }
}
