import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct OutboxTests {
  @Test func pullGivesPendingMessagesOldestFirstUntilAcknowledged() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await server.setVerifiedPhone("+34600111222", userID: user.id)
      let requested = Date()
      _ = try await client.rpc.unary(Accounts.requestPasswordReset, Accounts.PasswordResetRequest(email: user.email))
      let answered = Date()
      let created = Date(timeIntervalSince1970: 1_700_000_000)
      try await server.services.environment.database.write { db in
        try db.enqueue(
          OutboxMessage(
            channel: .email, recipient: "ada@example.com", template: "email.changed", parameters: [:],
            createdAt: created))
      }

      let pulled = try await client.rpc.unary(Outbox.pull, Outbox.PullRequest())
      #expect(pulled.messages.count == 2)
      let reset = try #require(pulled.messages.first)
      #expect(reset.channel == .sms && reset.recipient == "+34600111222" && reset.template == "password.reset")
      let code = try #require(reset.parameters["code"])
      #expect(code.count == 6 && code.allSatisfy(\.isNumber))
      // Stored to the microsecond.
      #expect(reset.created >= requested.addingTimeInterval(-0.000_001) && reset.created <= answered)
      #expect(
        pulled.messages.last
          == Outbox.Message(
            id: reset.id + 1, channel: .email, recipient: "ada@example.com", template: "email.changed", parameters: [:],
            created: created))

      // Pulling marks nothing: the same messages come again.
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()) == pulled)
      let oldest = try await client.rpc.unary(Outbox.pull, Outbox.PullRequest(max: 1))
      #expect(oldest.messages == [reset])

      let ack = try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: [reset.id, reset.id, 999_999]))
      #expect(ack.acknowledged == 1)
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages.map(\.id) == [reset.id + 1])
      let again = try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: pulled.messages.map(\.id)))
      #expect(again.acknowledged == 1)
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages.isEmpty)
    }
  }

  @Test func messagesSurviveARestartUntilAcknowledged() async throws {
    let directory = ProfileTestServer.makeTemporaryDirectory()
    let queued = try await ProfileTestServer.with(dataDirectory: directory) { server, client in
      try await server.services.environment.database.write { db in
        for index in 0..<3 {
          try db.enqueue(
            OutboxMessage(
              channel: .sms, recipient: "+1415555010\(index)", template: "phone.verification",
              parameters: ["code": "12345\(index)"], createdAt: Date()))
        }
      }
      return try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages
    }
    #expect(queued.map(\.parameters) == [["code": "123450"], ["code": "123451"], ["code": "123452"]])

    try await ProfileTestServer.with(dataDirectory: directory) { _, client throws in
      let pulled = try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages
      #expect(pulled == queued)
      let ack = try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: pulled.prefix(2).map(\.id)))
      #expect(ack.acknowledged == 2)
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages == [queued[2]])
    }
    // A delivered message no longer holds its code; a pending one does.
    let stored = try await ProfileTestServer.with(dataDirectory: directory) { server, _ in
      try await server.services.environment.database.read { db in
        try db.rows(sql: "SELECT parameters FROM outbox ORDER BY id").map { try $0.get(0) as String }
      }
    }
    #expect(stored == ["{}", "{}", #"{"code":"123452"}"#])
    try await ProfileTestServer.with(dataDirectory: directory) { _, client throws in
      // Acknowledgements are durable too.
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages == [queued[2]])
      _ = try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: [queued[2].id]))
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages.isEmpty)
    }
  }

  @Test func pullSizesAndAckListsAreChecked() async throws {
    try await ProfileTestServer.with { server, client throws in
      try await server.services.environment.database.write { db in
        for index in 0..<501 {
          try db.enqueue(
            OutboxMessage(channel: .email, recipient: "n\(index)@example.com", template: "t", parameters: [:], createdAt: Date()))
        }
      }
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()).messages.count == 100)
      #expect(try await client.rpc.unary(Outbox.pull, Outbox.PullRequest(max: 500)).messages.count == 500)
      for max in [0, -5, 501] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Outbox.pull, Outbox.PullRequest(max: max))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["max"])
      }
      for ids in [[], Array(Int64(1)...1_001)] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: ids))
        }
        #expect(error?.details.fieldViolations?.map(\.field) == ["ids"])
      }
      let ack = try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: Array(Int64(1)...1_000)))
      #expect(ack.acknowledged == 501)
    }
  }

  @Test func untrustedCallersAreRefused() async throws {
    try await ProfileTestServer.with(configureServer: { $0.trustedUIDs = [getuid() &+ 1000] }) { server, client throws in
      try await server.services.environment.database.write { db in
        try db.enqueue(OutboxMessage(channel: .sms, recipient: "+14155550100", template: "t", parameters: [:], createdAt: Date()))
      }
      let pull = await #expect(throws: RPCError.self) { try await client.rpc.unary(Outbox.pull, Outbox.PullRequest()) }
      let ack = await #expect(throws: RPCError.self) { try await client.rpc.unary(Outbox.ack, Outbox.AckRequest(ids: [1])) }
      #expect(pull?.code == .permissionDenied && ack?.code == .permissionDenied)
      // Still pending.
      #expect(try await server.outbox().count == 1)
      let pending = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
      }
      #expect(pending == 1)
    }
  }
}
