import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ConnectionsTests {
  static let credential = "sf-refresh-5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJo7Xu"

  @Test func addListAndRemoveWithASealedCredential() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let salesforce = try await client.rpc.unary(
        Connections.addConnection,
        Connections.AddConnectionRequest(
          application: "salesforce", displayName: "Salesforce (EU sales)", kind: "oauth2", credential: Self.credential),
        options: user.options)
      #expect(salesforce.id.hasPrefix("con_"))
      #expect(salesforce.hasCredential && salesforce.application == "salesforce" && salesforce.kind == "oauth2")
      let hubspot = try await client.rpc.unary(
        Connections.addConnection,
        Connections.AddConnectionRequest(application: "hubspot.crm-v2_eu", displayName: "HubSpot", kind: "apiKey"),
        options: user.options)
      #expect(!hubspot.hasCredential)

      let listed = try await client.rpc.unary(Connections.listConnections, Empty(), options: user.options)
      #expect(listed.connections.map(\.id) == [hubspot.id, salesforce.id])
      #expect(listed.connections.last == salesforce)

      // The credential is stored only sealed, for this user.
      let sealed = try #require(
        try await server.services.environment.database.read { db in
          try db.value([UInt8].self, sql: "SELECT credential FROM connections WHERE id = ?", salesforce.id)
        })
      let opened = try AESGCM.open(
        sealed, key: server.services.environment.secretsKey,
        associatedData: Array("connections.credential|\(user.id)".utf8))
      #expect(opened == Array(Self.credential.utf8))
      let database = try Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite"))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: server.dataDirectory + "/profiled.sqlite-wal"))) ?? Data()
      #expect(database.range(of: Data(Self.credential.utf8)) == nil && wal.range(of: Data(Self.credential.utf8)) == nil)

      _ = try await client.rpc.unary(
        Connections.removeConnection, Connections.RemoveConnectionRequest(id: salesforce.id), options: user.options)
      let after = try await client.rpc.unary(Connections.listConnections, Empty(), options: user.options)
      #expect(after.connections == [hubspot])
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("connection.") }
      #expect(actions == ["connection.add", "connection.add", "connection.remove"])
    }
  }

  @Test func anotherUsersConnectionIsNotFound() async throws {
    try await ProfileTestServer.with { _, client throws in
      let owner = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      let connection = try await client.rpc.unary(
        Connections.addConnection, Connections.AddConnectionRequest(application: "slack", displayName: "Slack", kind: "oauth2"),
        options: owner.options)
      #expect(try await client.rpc.unary(Connections.listConnections, Empty(), options: other.options).connections.isEmpty)
      for id in [connection.id, "con_unknown"] {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Connections.removeConnection, Connections.RemoveConnectionRequest(id: id), options: other.options)
        }
        #expect(error?.code == .notFound)
      }
      #expect(try await client.rpc.unary(Connections.listConnections, Empty(), options: owner.options).connections == [connection])
      // Removing twice: the second time it is gone.
      _ = try await client.rpc.unary(
        Connections.removeConnection, Connections.RemoveConnectionRequest(id: connection.id), options: owner.options)
      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Connections.removeConnection, Connections.RemoveConnectionRequest(id: connection.id), options: owner.options)
      }
      #expect(again?.code == .notFound)
      let blank = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Connections.removeConnection, Connections.RemoveConnectionRequest(id: ""), options: owner.options)
      }
      #expect(blank?.details.fieldViolations?.map(\.field) == ["id"])
    }
  }

  @Test func badFieldsGetOneViolationEachAndAddNothing() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Connections.addConnection,
          Connections.AddConnectionRequest(
            application: "Sales Force", displayName: "", kind: "", credential: String(repeating: "k", count: 8193)),
          options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(Set(error?.details.fieldViolations?.map(\.field) ?? []) == ["application", "displayName", "kind", "credential"])
      let cases: [(Connections.AddConnectionRequest, String)] = [
        (.init(application: String(repeating: "a", count: 65), displayName: "A", kind: "oauth2"), "application"),
        (.init(application: "sales/force", displayName: "A", kind: "oauth2"), "application"),
        (.init(application: "", displayName: "A", kind: "oauth2"), "application"),
        (.init(application: "salesforce", displayName: "Sales\u{7}force", kind: "oauth2"), "displayName"),
        (.init(application: "salesforce", displayName: String(repeating: "d", count: 101), kind: "oauth2"), "displayName"),
        (.init(application: "salesforce", displayName: "   ", kind: "oauth2"), "displayName"),
        (.init(application: "salesforce", displayName: "A", kind: String(repeating: "k", count: 33)), "kind"),
        (.init(application: "salesforce", displayName: "A", kind: "o auth"), "kind"),
        (.init(application: "salesforce", displayName: "A", kind: "oauth2", credential: ""), "credential"),
        (.init(application: "salesforce", displayName: "A", kind: "oauth2", credential: String(repeating: "é", count: 4097)), "credential"),
      ]
      for (request, field) in cases {
        let error = await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Connections.addConnection, request, options: user.options)
        }
        #expect(error?.details.fieldViolations?.map(\.field) == [field], "\(request)")
      }
      #expect(try await client.rpc.unary(Connections.listConnections, Empty(), options: user.options).connections.isEmpty)
      #expect(try await server.auditActions(userID: user.id).filter { $0.hasPrefix("connection.") }.isEmpty)
      // The edges that pass: 64-character application, 100-character name, 32-character kind, 8 KiB credential.
      let edge = try await client.rpc.unary(
        Connections.addConnection,
        Connections.AddConnectionRequest(
          application: String(repeating: "a", count: 64), displayName: String(repeating: "d", count: 100),
          kind: String(repeating: "K", count: 32), credential: String(repeating: "k", count: 8192)),
        options: user.options)
      #expect(edge.hasCredential)
    }
  }

  @Test func aUserHasAtMostOneHundredConnections() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      try await server.services.environment.database.write { db in
        for index in 0..<99 {
          try db.insertConnection(
            ConnectionRecord(
              id: "con_seed\(index)", userID: user.id, application: "app", displayName: "App \(index)", kind: "apiKey",
              credential: nil, createdAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index))))
        }
      }
      let request = Connections.AddConnectionRequest(application: "app", displayName: "One more", kind: "apiKey")
      let hundredth = try await client.rpc.unary(Connections.addConnection, request, options: user.options)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Connections.addConnection, request, options: user.options)
      }
      #expect(error?.code == .resourceExhausted)
      #expect(error?.details.quotaViolations?.map(\.subject) == ["connections"])
      let listed = try await client.rpc.unary(Connections.listConnections, Empty(), options: user.options)
      #expect(listed.connections.count == 100 && listed.connections.first?.id == hundredth.id)
      // The quota is per user; removing one makes room again.
      _ = try await client.rpc.unary(Connections.addConnection, request, options: other.options)
      _ = try await client.rpc.unary(
        Connections.removeConnection, Connections.RemoveConnectionRequest(id: "con_seed0"), options: user.options)
      _ = try await client.rpc.unary(Connections.addConnection, request, options: user.options)
    }
  }

  @Test func everyMethodNeedsAToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let errors: [RPCError?] = [
        await #expect(throws: RPCError.self) { try await client.rpc.unary(Connections.listConnections, Empty()) },
        await #expect(throws: RPCError.self) {
          try await client.rpc.unary(
            Connections.addConnection, Connections.AddConnectionRequest(application: "a", displayName: "A", kind: "k"))
        },
        await #expect(throws: RPCError.self) {
          try await client.rpc.unary(Connections.removeConnection, Connections.RemoveConnectionRequest(id: "con_x"))
        },
      ]
      #expect(errors.map(\.?.code) == [.unauthenticated, .unauthenticated, .unauthenticated])
    }
  }
}
