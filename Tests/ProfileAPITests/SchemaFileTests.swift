import Foundation
import ProfileAPI
import RPC
import Testing
import WireFormat

@Suite struct SchemaFileTests {
  @Test func schemaFileMatchesTheSwiftDefinitions() throws {
    let rendered = try SchemaCatalog(services: ProfileAPI.services).render()
    if ContractFiles.rewrite {
      try rendered.write(to: ContractFiles.schema, atomically: true, encoding: .utf8)
    }
    let committed = try String(contentsOf: ContractFiles.schema, encoding: .utf8)
    #expect(
      committed == rendered,
      "proto/profile.schema is out of date: run PROFILED_WRITE_CONTRACT=1 swift test --filter ProfileAPITests")
  }

  @Test func everyMethodHasADistinctFullNameAndDescribableTypes() throws {
    let catalog = try SchemaCatalog(services: ProfileAPI.services)
    let names = catalog.services.flatMap { $0.methods.map(\.fullName) }
    #expect(Set(names).count == names.count)
    for method in catalog.services.flatMap(\.methods) {
      #expect(catalog.types.messages[method.requestType] != nil, "\(method.fullName) request")
      #expect(catalog.types.messages[method.responseType] != nil, "\(method.fullName) response")
    }
  }

  @Test func describeFindsServicesMethodsMessagesAndEnums() throws {
    let catalog = try SchemaCatalog(services: ProfileAPI.services)
    #expect(catalog.describe("Health")?.service?.methods.map(\.name) == ["Check", "Watch"])
    let method = try #require(catalog.describe("Health.Check")?.method)
    #expect(method.kind == .unary)
    #expect(catalog.describe("Health/Watch")?.method?.kind == .serverStreaming)
    let check = try #require(catalog.describe("Health.CheckResponse"))
    #expect(check.message?.fields.map(\.name) == ["status"])
    #expect(check.types.enums["Health.ServingStatus"] != nil)
    #expect(catalog.describe("Health.ServingStatus")?.enumeration?.cases.map(\.name) == ["unknown", "serving", "notServing"])
    #expect(catalog.describe("Nope") == nil)
    #expect(catalog.describe("Health.Nope") == nil)
  }
}
