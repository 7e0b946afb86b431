public import ProfileAPI
public import RPC

/// Serves `Reflection` from a ``SchemaCatalog`` of the services the server runs.
public struct ReflectionService: RPCService {
  public let catalog: SchemaCatalog

  public init(catalog: SchemaCatalog) {
    self.catalog = catalog
  }

  public func register(with router: inout RPCRouter) {
    let catalog = catalog
    router.unary(Reflection.listServices, immediately: { _, _ in
      Reflection.ListServicesResponse(services: catalog.services)
    })
    router.unary(Reflection.describe, immediately: { request, _ in
      guard !request.name.isEmpty, request.name.utf8.count <= 256 else {
        throw RPCError.invalidArgument([
          .init(field: "name", description: "must have 1 to 256 bytes")
        ])
      }
      guard let description = catalog.describe(request.name) else {
        throw RPCError(
          .notFound,
          "no service, method, message or enum is named '\(request.name)'")
      }
      return description
    })
  }
}
