import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import WireFormat
import RPC
import Testing

@Suite struct ReflectionServiceTests {
  func withReflection<R: Sendable>(_ body: (ProfileClient) async throws -> R) async throws -> R {
    let catalog = try SchemaCatalog(services: ProfileAPI.services)
    let services: [any RPCService] = [
      HealthService(services: ProfileAPI.services.map(\.name)), ReflectionService(catalog: catalog),
    ]
    return try await withTestServer(services: services) { socket throws in
      try await withProfileClient(socketPath: socket, body)
    }
  }

  @Test func listsEveryServiceWithItsMethods() async throws {
    try await withReflection { client throws in
      let services = try await client.reflection.listServices()
      #expect(services.map(\.name) == ProfileAPI.services.map(\.name))
      let health = try #require(services.first { $0.name == "Health" })
      #expect(health.methods.map(\.name) == ["Check", "Watch"])
      #expect(health.methods.map(\.requestType) == ["Health.CheckRequest", "Health.CheckRequest"])
    }
  }

  @Test func describesMethodsWithTheTypesTheyUse() async throws {
    try await withReflection { client throws in
      let described = try await client.reflection.describe("Health.Check")
      #expect(described.method?.fullName == "Health/Check")
      #expect(Set(described.types.messages.keys) == ["Health.CheckRequest", "Health.CheckResponse"])
      #expect(Set(described.types.enums.keys) == ["Health.ServingStatus"])
      let field = try #require(described.types.messages["Health.CheckRequest"]?.fields.first)
      #expect(field.name == "service")
      #expect(field.number == 1)
      #expect(field.optional)
    }
  }

  @Test func unknownNamesAreNotFoundAndEmptyNamesInvalid() async throws {
    try await withReflection { client throws in
      let missing = await #expect(throws: RPCError.self) { try await client.reflection.describe("Nope.Nothing") }
      #expect(missing?.code == .notFound)
      let empty = await #expect(throws: RPCError.self) { try await client.reflection.describe("") }
      #expect(empty?.code == .invalidArgument)
      #expect(empty?.details.fieldViolations?.first?.field == "name")
    }
  }

  /// What reflection reports renders to exactly the committed schema file.
  @Test func reflectedSchemaEqualsTheCommittedSchemaFile() async throws {
    try await withReflection { client throws in
      let services = try await client.reflection.listServices()
      var types = SchemaSet()
      for service in services {
        let described = try await client.reflection.describe(service.name)
        types.messages.merge(described.types.messages) { first, _ in first }
        types.enums.merge(described.types.enums) { first, _ in first }
      }
      let rendered = SchemaCatalog(descriptions: services, types: types).render()
      let schemaFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("proto/profile.schema")
      #expect(rendered == (try String(contentsOf: schemaFile, encoding: .utf8)))
    }
  }
}
