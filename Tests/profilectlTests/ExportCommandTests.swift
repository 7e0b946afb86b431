import Foundation
import Testing

/// `profilectl export` against the built profiled: a credit-based organization set up with
/// `call`, then an export started, watched and downloaded to a verified file.
@Suite("profilectl export") struct ExportCommandTests {
  /// Signs up, creates a credit-based organization, makes it current and records `consumed`
  /// credits of usage for `reason`; returns the token.
  static func creditOrganization(_ server: TestServer, email: String, consumed: Int, reason: String) async throws
    -> String
  {
    let token = try await ConnectionTests.signIn(server, email: email)
    func call(_ method: String, _ json: String) async throws -> [String: Any] {
      let result = try await server.profilectl("--token", token, "call", method, json)
      try #require(result.status == 0, "\(method): \(result)")
      return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
    let organization = try await call("Organizations.CreateOrganization", #"{"name":"Acme"}"#)
    let id = try #require(organization["id"] as? String)
    _ = try await call("Organizations.UpdateOrganization", #"{"id":"\#(id)","creditBased":true}"#)
    _ = try await call("Organizations.SwitchOrganization", #"{"id":"\#(id)"}"#)
    _ = try await call("Credits.AddCredits", #"{"amount":500,"reason":"purchase"}"#)
    // profilectl runs as the uid profiled runs as: a trusted caller, like a metering service.
    _ = try await call("Credits.ConsumeCredits", #"{"organizationId":"\#(id)","amount":\#(consumed),"reason":"\#(reason)"}"#)
    let credits = try await call("Credits.GetCredits", "{}")
    #expect(credits["balance"] as? Int == 500 - consumed)
    return token
  }

  static var today: String { String(Date().ISO8601Format().prefix(10)) }

  @Test("start, watch and download an export to a verified file")
  func startWatchDownload() async throws {
    try await TestServer.with { server in
      let token = try await Self.creditOrganization(server, email: "exporter@example.com", consumed: 42, reason: "sms")
      let started = try await server.profilectl("--token", token, "export", "start", "--from", Self.today, "--to", Self.today)
      try #require(started.status == 0, "\(started)")
      let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(id.hasPrefix("exp_"), "\(started)")

      let expected = "date,reason,credits\n\(Self.today),sms,42\n"
      let watched = try await server.profilectl("--token", token, "export", "watch", id)
      #expect(watched.status == 0, "\(watched)")
      #expect(watched.stdout == "\(id) ready \(expected.utf8.count) bytes\n", "\(watched)")
      // Standard error is a pipe here: plain lines, never a carriage-return bar.
      #expect(!watched.stderr.contains("\r"), "\(watched)")

      let listed = try await server.profilectl("--token", token, "export", "list")
      #expect(listed.status == 0, "\(listed)")
      #expect(listed.stdout.hasPrefix("\(id) ready \(Self.today) \(Self.today) \(expected.utf8.count)\n"), "\(listed)")

      let file = server.directory + "/download.csv"
      let downloaded = try await server.profilectl("--token", token, "export", "download", id, "-o", file)
      #expect(downloaded.status == 0, "\(downloaded)")
      #expect(try String(contentsOfFile: file, encoding: .utf8) == expected)
      #expect(downloaded.stderr.contains("\(expected.utf8.count) bytes"), "\(downloaded)")
      #expect(downloaded.stderr.contains("(verified)"), "\(downloaded)")
      #expect(!FileManager.default.fileExists(atPath: file + ".partial"))

      let toStandardOutput = try await server.profilectl("--token", token, "export", "download", id, "-o", "-")
      #expect(toStandardOutput.status == 0 && toStandardOutput.stdout == expected, "\(toStandardOutput)")
    }
  }

  @Test("a download that does not match the server's checksum leaves no file and exits 15")
  func checksumMismatch() async throws {
    try await TestServer.with { server in
      let token = try await Self.creditOrganization(server, email: "tamper@example.com", consumed: 7, reason: "api")
      let started = try await server.profilectl("--token", token, "export", "start", "--from", Self.today, "--to", Self.today)
      let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      let watched = try await server.profilectl("--token", token, "export", "watch", id)
      try #require(watched.status == 0, "\(watched)")
      // Damage the stored file without changing its size.
      let stored = server.directory + "/exports/\(id).csv"
      let original = try String(contentsOfFile: stored, encoding: .utf8)
      try original.replacingOccurrences(of: ",7\n", with: ",9\n").write(toFile: stored, atomically: true, encoding: .utf8)

      let file = server.directory + "/tampered.csv"
      let downloaded = try await server.profilectl("--token", token, "export", "download", id, "-o", file)
      #expect(downloaded.status == 15, "\(downloaded)")
      #expect(downloaded.stderr.hasPrefix("DATA_LOSS"), "\(downloaded)")
      #expect(!FileManager.default.fileExists(atPath: file))
      #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
    }
  }

  @Test("export reports usage errors with 64 and server refusals with their status")
  func errors() async throws {
    try await TestServer.with { server in
      for arguments in [
        ["export"], ["export", "bogus"], ["export", "start", "--from", "2026-01-01"], ["export", "watch"],
        ["export", "download", "exp_abc"], ["export", "list", "extra"], ["export", "start", "--bogus", "x"],
        ["export", "watch", "exp_abc", "-o", "file"],
      ] {
        let result = try await ProfilectlProcess.run(["--socket", server.socketPath] + arguments)
        #expect(result.status == 64, "\(arguments): \(result)")
        #expect(result.stderr.contains("USAGE: profilectl [options] export"), "\(result)")
      }
      let token = try await Self.creditOrganization(server, email: "errors@example.com", consumed: 1, reason: "x")
      let unknown = try await server.profilectl("--token", token, "export", "download", "exp_unknown", "-o", "-")
      #expect(unknown.status == 5, "\(unknown)")
      let invalid = try await server.profilectl("--token", token, "export", "start", "--from", "2026-02-30", "--to", Self.today)
      #expect(invalid.status == 3, "\(invalid)")
      #expect(invalid.stderr.contains("from"), "\(invalid)")
      let anonymous = try await server.profilectl("export", "list")
      #expect(anonymous.status == 16, "\(anonymous)")
    }
  }
}
