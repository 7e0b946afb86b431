import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ExportsRestartTests {
  /// A server stops with exports in progress (its workers never got to them); the next server
  /// on the same data directory resumes them, fails the one that was already interrupted too
  /// often, and deletes files no ready export owns.
  @Test func jobsInFlightAreResumedOrFailedAtTheNextStart() async throws {
    let directory = ProfileTestServer.makeTemporaryDirectory()
    let (team, resumed, abandoned) = try await ProfileTestServer.with(
      dataDirectory: directory, configure: { $0.exportWorkers = 0 }
    ) { server, client throws in
      let team = try await CreditTeam.create(client)
      try await team.add(100, client)
      try await team.consume(9, reason: "sms", client)
      let exports = ExportCalls(client: client, user: team.owner)
      let today = String(Date().ISO8601Format().prefix(10))
      let resumed = try await exports.start(today, today)
      let abandoned = try await exports.start(today, today)
      try await server.services.environment.database.write { db in
        try db.execute(sql: "UPDATE exports SET attempts = 3 WHERE id = ?", abandoned.id)
      }
      // Left by a build the stop cut short, and by an export deleted with its account.
      try Data("date,reas".utf8).write(to: URL(fileURLWithPath: directory + "/exports/\(resumed.id).csv.partial"))
      try Data("old".utf8).write(to: URL(fileURLWithPath: directory + "/exports/exp_gone.csv"))
      #expect(try await exports.list().map(\.status) == [.inProgress, .inProgress])
      return (team, resumed, abandoned)
    }

    try await ProfileTestServer.with(dataDirectory: directory) { server, client throws in
      let exports = ExportCalls(client: client, user: team.owner)
      let last = try await exports.finish(resumed.id)
      #expect(last.status == .ready)
      let chunks = try await exports.download(resumed.id)
      let today = String(Date().ISO8601Format().prefix(10))
      #expect(String(decoding: chunks.reduce(into: Data()) { $0 += $1.data }, as: UTF8.self)
        == "date,reason,credits\n\(today),sms,9\n")
      let failed = try #require(try await exports.list().first { $0.id == abandoned.id })
      #expect(failed.status == .failed)
      #expect(failed.message?.contains("server stopped") == true)
      #expect(ExportsTests.exportFiles(server) == ["\(resumed.id).csv"])
      let attempts = try await server.services.environment.database.read { db in
        try db.export(id: resumed.id)?.attempts
      }
      #expect(attempts == 1)
    }
  }
}
