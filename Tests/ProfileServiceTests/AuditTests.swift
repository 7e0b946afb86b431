import Foundation
import Glibc
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct AuditTests {
  @Test func listsOnlyTheCallersEventsNewestFirst() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      _ = try await client.rpc.unary(
        Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(theme: .dark),
        options: CallOptions(metadata: ["authorization": "Bearer \(user.token)", "request-id": "req-theme-1"]))
      _ = try await client.rpc.unary(
        Preferences.pinHomePage, Preferences.PinHomePageRequest(path: "/home"), options: user.options)
      _ = try await client.rpc.unary(
        Preferences.updatePreferences, Preferences.UpdatePreferencesRequest(theme: .light), options: other.options)

      let events = try await Self.list(client, user)
      #expect(events.map(\.action) == ["homepage.pin", "preferences.update", "session.create", "account.create"])
      #expect(events.map(\.id) == events.map(\.id).sorted(by: >))
      #expect(events.map(\.time) == events.map(\.time).sorted(by: >))
      let theme = try #require(events.first { $0.action == "preferences.update" })
      #expect(theme.actor == user.id && theme.target == user.id && theme.requestId == "req-theme-1")
      #expect(theme.peerUid == getuid())
      #expect(try await Self.list(client, other).map(\.action) == ["preferences.update", "session.create", "account.create"])
    }
  }

  @Test func limitDefaultsToOneHundredAndIsChecked() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.seed(server, user, count: 150)
      #expect(try await Self.list(client, user).count == 100)
      #expect(try await Self.list(client, user, Audit.ListAuditEventsRequest(limit: 1_000)).count == 152)
      let two = try await Self.list(client, user, Audit.ListAuditEventsRequest(limit: 2))
      #expect(two.map(\.action) == ["session.create", "account.create"])
      for limit in [0, -1, 1_001] {
        let error = await #expect(throws: RPCError.self) {
          try await Self.list(client, user, Audit.ListAuditEventsRequest(limit: limit))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["limit"])
      }
    }
  }

  @Test func timeRangeIsFromInclusiveToExclusive() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      try await Self.seed(server, user, count: 10)
      let base = Self.seedStart
      let range = try await Self.list(
        client, user, Audit.ListAuditEventsRequest(from: base.addingTimeInterval(3), to: base.addingTimeInterval(6)))
      #expect(range.map(\.target) == ["seed-5", "seed-4", "seed-3"])
      let from = try await Self.list(client, user, Audit.ListAuditEventsRequest(from: base.addingTimeInterval(8)))
      // The sign-up's own events are newer than every seeded one.
      #expect(from.map(\.action).prefix(2) == ["session.create", "account.create"])
      #expect(from.map(\.target).dropFirst(2) == ["seed-9", "seed-8"])
      let to = try await Self.list(client, user, Audit.ListAuditEventsRequest(to: base.addingTimeInterval(2)))
      #expect(to.map(\.target) == ["seed-1", "seed-0"])
      let empty = try await Self.list(
        client, user, Audit.ListAuditEventsRequest(from: base.addingTimeInterval(4), to: base.addingTimeInterval(4)))
      #expect(empty.isEmpty)
      let error = await #expect(throws: RPCError.self) {
        try await Self.list(
          client, user, Audit.ListAuditEventsRequest(from: base.addingTimeInterval(5), to: base.addingTimeInterval(4)))
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == ["from"])
    }
  }

  @Test func pagesContinueAfterTheLastEventEvenAmongEqualTimes() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let other = try await TestUser.create(client)
      // Seven events at one time: paging by `to` alone would skip or repeat some of them.
      try await server.services.environment.database.write { db in
        for index in 0..<7 {
          try db.audit(
            "test.seed", subject: user.id, target: "tie-\(index)",
            context: MutationContext(actor: "system", requestID: "seed", peerUID: 0, now: Self.seedStart))
        }
      }
      let all = try await Self.list(client, user)
      #expect(all.count == 9)
      var paged: [Audit.AuditEvent] = []
      var olderThan: Int64?
      for _ in 0..<10 {  // 5 pages and an empty one; bounded so a stuck cursor fails, not hangs
        let page = try await Self.list(client, user, Audit.ListAuditEventsRequest(limit: 2, olderThanId: olderThan))
        guard let last = page.last else { break }
        #expect(page.count <= 2)
        paged += page
        olderThan = last.id
      }
      #expect(paged == all)
      #expect(paged.suffix(7).map(\.target) == (0..<7).reversed().map { "tie-\($0)" })

      // With a range, the id narrows it further.
      let tie3 = try #require(all.first { $0.target == "tie-3" })
      let older = try await Self.list(
        client, user, Audit.ListAuditEventsRequest(from: Self.seedStart, olderThanId: tie3.id))
      #expect(older.map(\.target) == ["tie-2", "tie-1", "tie-0"])

      // Another user's event, an id no event has, and an id below 1 are refused alike.
      let othersEvent = try #require(try await Self.list(client, other).first)
      for id in [othersEvent.id, 1_000_000, 0, -5] {
        let error = await #expect(throws: RPCError.self) {
          try await Self.list(client, user, Audit.ListAuditEventsRequest(olderThanId: id))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.details.fieldViolations?.map(\.field) == ["olderThanId"])
      }
    }
  }

  @Test func listingNeedsAToken() async throws {
    try await ProfileTestServer.with { _, client throws in
      let error = await #expect(throws: RPCError.self) {
        for try await _ in client.rpc.serverStreaming(Audit.listAuditEvents, Audit.ListAuditEventsRequest()) {}
      }
      #expect(error?.code == .unauthenticated)
    }
  }

  static let seedStart = Date(timeIntervalSince1970: 1_700_000_000)

  /// Writes `count` events about `user`, one second apart from ``seedStart``, targets `seed-<n>`.
  static func seed(_ server: ProfileTestServer, _ user: TestUser, count: Int) async throws {
    try await server.services.environment.database.write { db in
      for index in 0..<count {
        try db.audit(
          "test.seed", subject: user.id, target: "seed-\(index)",
          context: MutationContext(
            actor: "system", requestID: "seed", peerUID: 0, now: seedStart.addingTimeInterval(Double(index))))
      }
    }
  }

  static func list(
    _ client: ProfileClient, _ user: TestUser, _ request: Audit.ListAuditEventsRequest = Audit.ListAuditEventsRequest()
  ) async throws -> [Audit.AuditEvent] {
    var events: [Audit.AuditEvent] = []
    for try await event in client.rpc.serverStreaming(Audit.listAuditEvents, request, options: user.options) {
      events.append(event)
    }
    return events
  }
}
