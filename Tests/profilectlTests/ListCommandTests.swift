internal import Testing

@Suite("profilectl list")
struct ListCommandTests {
  @Test("list prints every service with its methods indented below it")
  func servicesAndMethods() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("list")
      #expect(result.status == 0, "\(result)")
      #expect(
        result.stdout.hasPrefix(
          """
          Health
            rpc Check(Health.CheckRequest) returns (Health.CheckResponse)
            rpc Watch(Health.CheckRequest) returns (stream Health.CheckResponse)
          Reflection
            rpc ListServices(Reflection.ListServicesRequest) returns (Reflection.ListServicesResponse)
            rpc Describe(Reflection.DescribeRequest) returns (Reflection.DescribeResponse)

          """), "\(result)")
    }
  }
}
