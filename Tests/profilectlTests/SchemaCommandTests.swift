internal import Foundation
internal import Testing

@Suite("profilectl schema")
struct SchemaCommandTests {
  /// `proto/profile.schema` in this checkout, found from this file's path.
  static let schemaFile = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("proto/profile.schema").path

  @Test("schema renders every service, message and enum")
  func rendersEverything() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("schema")
      #expect(result.status == 0, "\(result)")
      for block in ["\nservice Health {\n", "\nservice Reflection {\n", "\nmessage Health.CheckRequest {\n",
        "\nmessage Reflection.DescribeResponse {\n", "\nenum Health.ServingStatus: "]
      {
        #expect(result.stdout.contains(block), "\(block) missing: \(result)")
      }
    }
  }

  @Test(
    "schema equals proto/profile.schema for the server built from this tree",
    .enabled(if: FileManager.default.fileExists(atPath: schemaFile), "proto/profile.schema is not in this checkout"))
  func matchesCheckedInSchema() async throws {
    let expected = try String(contentsOfFile: Self.schemaFile, encoding: .utf8)
    try await TestServer.with { server in
      let result = try await server.profilectl("schema")
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout == expected)
    }
  }
}
