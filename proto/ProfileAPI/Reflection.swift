public import RPC
public import WireFormat

/// The reflection service: the schema of every service the server runs, so tools need no
/// compiled-in knowledge of it.
public enum Reflection {
  /// Every service with its methods.
  public static let listServices = MethodDescriptor<ListServicesRequest, ListServicesResponse>(
    service: "Reflection", method: "ListServices", kind: .unary)
  /// A service (`Health`), a method (`Health.Check` or `Health/Check`), a message or an enum
  /// (`Health.CheckRequest`), with every message and enum it refers to. Unknown names are
  /// `NOT_FOUND`.
  public static let describe = MethodDescriptor<DescribeRequest, DescribeResponse>(
    service: "Reflection", method: "Describe", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Reflection", methods: [listServices.info, describe.info])

  public struct ListServicesRequest: Codable, Sendable, Equatable {
    public init() {}
  }

  public struct ListServicesResponse: Codable, Sendable, Equatable {
    public var services: [ServiceDescription]
    public init(services: [ServiceDescription]) { self.services = services }
    enum CodingKeys: Int, CodingKey { case services = 1 }
  }

  public struct DescribeRequest: Codable, Sendable, Equatable {
    public var name: String
    public init(name: String) { self.name = name }
    enum CodingKeys: Int, CodingKey { case name = 1 }
  }

  public struct DescribeResponse: Codable, Sendable, Equatable {
    /// Set when the name is a service.
    public var service: ServiceDescription?
    /// Set when the name is a method.
    public var method: MethodDescription?
    /// Set when the name is a message.
    public var message: MessageSchema?
    /// Set when the name is an enum.
    public var enumeration: EnumSchema?
    /// Every message and enum the described item refers to, transitively.
    public var types: SchemaSet

    public init(
      service: ServiceDescription? = nil, method: MethodDescription? = nil,
      message: MessageSchema? = nil, enumeration: EnumSchema? = nil, types: SchemaSet
    ) {
      self.service = service
      self.method = method
      self.message = message
      self.enumeration = enumeration
      self.types = types
    }

    enum CodingKeys: Int, CodingKey {
      case service = 1, method = 2, message = 3, enumeration = 4, types = 5
    }
  }

  public struct ServiceDescription: Codable, Sendable, Equatable {
    public var name: String
    public var methods: [MethodDescription]
    public init(name: String, methods: [MethodDescription]) {
      self.name = name
      self.methods = methods
    }
    enum CodingKeys: Int, CodingKey { case name = 1, methods = 2 }
  }

  public struct MethodDescription: Codable, Sendable, Equatable {
    public var service: String
    public var name: String
    public var kind: CallKind
    /// Message names, as in ``SchemaSet``.
    public var requestType: String
    public var responseType: String
    public var trustedCallersOnly: Bool

    public init(
      service: String, name: String, kind: CallKind, requestType: String, responseType: String,
      trustedCallersOnly: Bool
    ) {
      self.service = service
      self.name = name
      self.kind = kind
      self.requestType = requestType
      self.responseType = responseType
      self.trustedCallersOnly = trustedCallersOnly
    }

    /// `Service/Method`.
    public var fullName: String { "\(service)/\(name)" }

    enum CodingKeys: Int, CodingKey {
      case service = 1, name = 2, kind = 3, requestType = 4, responseType = 5
      case trustedCallersOnly = 6
    }
  }
}
