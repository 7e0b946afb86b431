public import RPC
public import WireFormat

/// The schema of a set of services: their methods and every message and enum they use.
///
/// Built from compiled-in descriptors on the server (``init(services:)``) or from what
/// reflection returned in a tool (``init(descriptions:types:)``); either way it answers
/// `Describe` lookups and renders the language-neutral text of `proto/profile.schema`.
public struct SchemaCatalog: Sendable {
  public let services: [Reflection.ServiceDescription]
  public let types: SchemaSet

  /// Describes `services` by running their message types through the schema recorder.
  ///
  /// - Throws: ``WireFormatError`` when a message type cannot be described (a programming
  ///   error in the contract, caught by the contract tests).
  public init(services descriptors: [ServiceDescriptor]) throws {
    var types = SchemaSet()
    var services: [Reflection.ServiceDescription] = []
    for descriptor in descriptors {
      var methods: [Reflection.MethodDescription] = []
      for info in descriptor.methods {
        let request = try Self.add(info.requestType, to: &types)
        let response = try Self.add(info.responseType, to: &types)
        methods.append(
          Reflection.MethodDescription(
            service: info.service, name: info.method, kind: info.kind, requestType: request,
            responseType: response, trustedCallersOnly: info.access == .trustedCallersOnly))
      }
      services.append(Reflection.ServiceDescription(name: descriptor.name, methods: methods))
    }
    self.services = services
    self.types = types
  }

  public init(descriptions: [Reflection.ServiceDescription], types: SchemaSet) {
    self.services = descriptions
    self.types = types
  }

  private static func add<T: Decodable>(_ type: T.Type, to set: inout SchemaSet) throws -> String {
    "\(try set.add(type))"
  }

  /// The method named `Service.Method` or `Service/Method`.
  public func method(named name: String) -> Reflection.MethodDescription? {
    let separator: Character = name.contains("/") ? "/" : "."
    guard let split = name.lastIndex(of: separator) else { return nil }
    let serviceName = String(name[..<split])
    let methodName = String(name[name.index(after: split)...])
    return services.first { $0.name == serviceName }?.methods.first { $0.name == methodName }
  }

  /// Looks `name` up as a service, a method, a message or an enum, in that order.
  public func describe(_ name: String) -> Reflection.DescribeResponse? {
    if let service = services.first(where: { $0.name == name }) {
      let roots = service.methods.flatMap { [$0.requestType, $0.responseType] }
      return Reflection.DescribeResponse(service: service, types: types.closure(of: roots))
    }
    if let method = method(named: name) {
      return Reflection.DescribeResponse(
        method: method, types: types.closure(of: [method.requestType, method.responseType]))
    }
    if let message = types.messages[name] {
      return Reflection.DescribeResponse(message: message, types: types.closure(of: [name]))
    }
    if let enumeration = types.enums[name] {
      return Reflection.DescribeResponse(enumeration: enumeration, types: types.closure(of: [name]))
    }
    return nil
  }

  /// The text of `proto/profile.schema`: services, then messages and enums sorted by name.
  public func render() -> String {
    var lines = [
      "// The profiled contract, rendered from the Swift definitions in proto/ProfileAPI.",
      "// Regenerate with: PROFILED_WRITE_CONTRACT=1 swift test --filter ProfileAPITests",
      "// Field lines read: <number> <name>: <type>, with ? for optional; see proto/WIRE.md.",
      "",
    ]
    for service in services {
      lines.append(contentsOf: Self.render(service))
      lines.append("")
    }
    for name in types.messages.keys.sorted() {
      lines.append(contentsOf: Self.render(types.messages[name]!))
      lines.append("")
    }
    for name in types.enums.keys.sorted() {
      lines.append(contentsOf: Self.render(types.enums[name]!))
      lines.append("")
    }
    return lines.joined(separator: "\n")
  }

  public static func render(_ service: Reflection.ServiceDescription) -> [String] {
    ["service \(service.name) {"] + service.methods.map { "  " + render($0) } + ["}"]
  }

  public static func render(_ method: Reflection.MethodDescription) -> String {
    let request = (method.kind.clientStreams ? "stream " : "") + method.requestType
    let response = (method.kind.serverStreams ? "stream " : "") + method.responseType
    let access = method.trustedCallersOnly ? " [trusted callers only]" : ""
    return "rpc \(method.name)(\(request)) returns (\(response))\(access)"
  }

  public static func render(_ message: MessageSchema) -> [String] {
    ["message \(message.name) {"]
      + message.fields.map { field in
        let number = field.number.map(String.init) ?? "-"
        return "  \(number) \(field.name): \(field.type)\(field.optional ? "?" : "")"
      } + ["}"]
  }

  public static func render(_ enumeration: EnumSchema) -> [String] {
    ["enum \(enumeration.name): \(enumeration.rawType) {"]
      + enumeration.cases.map { "  \($0.name) = \($0.rawValue)" } + ["}"]
  }
}

extension SchemaSet {
  /// The messages and enums reachable from `roots`, and nothing else.
  public func closure(of roots: [String]) -> SchemaSet {
    var result = SchemaSet()
    var pending = roots
    while let name = pending.popLast() {
      if let message = messages[name], result.messages[name] == nil {
        result.messages[name] = message
        for field in message.fields { pending.append(contentsOf: field.type.referencedNames) }
      } else if let enumeration = enums[name], result.enums[name] == nil {
        result.enums[name] = enumeration
      }
    }
    return result
  }
}

extension FieldType {
  /// Message and enum names this type refers to.
  var referencedNames: [String] {
    switch self {
    case .message(let name), .enumeration(let name): [name]
    case .array(let element): element.referencedNames
    case .map(let key, let value): key.referencedNames + value.referencedNames
    default: []
    }
  }
}
