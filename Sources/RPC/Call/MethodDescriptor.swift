/// Who may call a method.
public enum AccessPolicy: Int, Sendable, Codable {
  /// Any peer that can open the socket.
  case anyPeer = 0
  /// Only peers whose kernel-verified uid is in the server's trusted set (`--trusted-uid`).
  case trustedCallersOnly = 1
}

/// A method of a service, with its message types: the one value a server registers a handler
/// for and a client calls.
///
/// The full name on the wire is `Service/Method`.
public struct MethodDescriptor<Request: Codable & Sendable, Response: Codable & Sendable>: Sendable {
  public let service: String
  public let method: String
  public let kind: CallKind
  public let access: AccessPolicy
  /// `Service/Method`, the name a call start carries. Stored, not computed: a client reads it
  /// on every call.
  public let fullName: String

  public init(
    service: String, method: String, kind: CallKind, access: AccessPolicy = .anyPeer
  ) {
    self.service = service
    self.method = method
    self.kind = kind
    self.access = access
    self.fullName = "\(service)/\(method)"
  }

  /// The type-erased description used by routing and reflection.
  public var info: MethodInfo {
    MethodInfo(
      service: service, method: method, kind: kind, access: access,
      requestType: Request.self, responseType: Response.self)
  }
}

/// A type-erased ``MethodDescriptor``: names, call kind, access policy and message types.
public struct MethodInfo: Sendable {
  public let service: String
  public let method: String
  public let kind: CallKind
  public let access: AccessPolicy
  public let requestType: any (Codable & Sendable).Type
  public let responseType: any (Codable & Sendable).Type

  public var fullName: String { "\(service)/\(method)" }
}

/// A service: its name and its methods, in declaration order.
public struct ServiceDescriptor: Sendable {
  public let name: String
  public let methods: [MethodInfo]

  public init(name: String, methods: [MethodInfo]) {
    self.name = name
    self.methods = methods
  }
}
