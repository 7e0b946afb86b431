internal import Testing

@Suite("profilectl describe")
struct DescribeCommandTests {
  @Test("describe a service: its block, then the messages and enums it uses")
  func service() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("describe", "Health")
      #expect(result.status == 0, "\(result)")
      #expect(
        result.stdout.hasPrefix(
          """
          service Health {
            rpc Check(Health.CheckRequest) returns (Health.CheckResponse)
            rpc Watch(Health.CheckRequest) returns (stream Health.CheckResponse)
          }

          message Health.CheckRequest {

          """), "\(result)")
      #expect(result.stdout.contains("\nmessage Health.CheckResponse {\n"), "\(result)")
      #expect(result.stdout.contains("\nenum Health.ServingStatus: "), "\(result)")
      #expect(!result.stdout.contains("Reflection"), "\(result)")
    }
  }

  @Test("describe a method, named with a dot or a slash", arguments: ["Health.Check", "Health/Check"])
  func method(name: String) async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("describe", name)
      #expect(result.status == 0, "\(result)")
      #expect(
        result.stdout.hasPrefix(
          """
          service Health {
            rpc Check(Health.CheckRequest) returns (Health.CheckResponse)
          }

          message Health.CheckRequest {

          """), "\(result)")
      #expect(result.stdout.contains("\nenum Health.ServingStatus: "), "\(result)")
    }
  }

  @Test("describe a message: its fields first, then what they refer to")
  func message() async throws {
    try await TestServer.with { server in
      let request = try await server.profilectl("describe", "Health.CheckRequest")
      #expect(request.status == 0, "\(request)")
      #expect(request.stdout.hasPrefix("message Health.CheckRequest {\n  1 service: string?\n}\n"), "\(request)")
      let response = try await server.profilectl("describe", "Health.CheckResponse")
      #expect(response.status == 0, "\(response)")
      #expect(
        response.stdout.hasPrefix("message Health.CheckResponse {\n  1 status: Health.ServingStatus\n}\n\nenum Health.ServingStatus: "),
        "\(response)")
    }
  }

  @Test("describe an enum lists its cases")
  func enumeration() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("describe", "Health.ServingStatus")
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.hasPrefix("enum Health.ServingStatus: "), "\(result)")
      #expect(result.stdout.contains("\n  serving = 1\n"), "\(result)")
    }
  }

  @Test("describe an unknown name is NOT_FOUND, exit 5")
  func unknown() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("describe", "Nope")
      #expect(result.status == 5, "\(result)")
      #expect(result.stderr.hasPrefix("NOT_FOUND: "), "\(result)")
    }
  }
}
