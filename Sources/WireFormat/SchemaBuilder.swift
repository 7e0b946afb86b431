/// The state of one ``SchemaSet/add(_:)`` call: the schemas found so far and the message types
/// being described right now (for cycle detection).
final class SchemaBuilder {
  private(set) var schema: SchemaSet
  private var inProgress: Set<String> = []

  init(schema: SchemaSet) {
    self.schema = schema
  }

  /// Describes `T`, recording every message and enum it references.
  ///
  /// - Parameter needsValue: whether the caller must return a `T` (a required field); the
  ///   description is then run even for types already recorded, and a type that contains itself
  ///   this way cannot be described.
  /// - Returns: the field type, and a placeholder value when `needsValue`.
  func describe<T: Decodable>(
    _ type: T.Type, needsValue: Bool, path: [any CodingKey]
  ) throws -> (type: FieldType, value: T?) {
    if let primitive = T.self as? any SchemaPrimitive.Type {
      return (primitive.schemaType, primitive.placeholder as? T)
    }
    if let optional = T.self as? any OptionalMarker.Type {
      return (try describe(optional.wrappedType, path: path), optional.absent as? T)
    }
    if let array = T.self as? any ArrayMarker.Type {
      return (.array(try describe(array.elementType, path: path)), array.empty as? T)
    }
    if let map = T.self as? any DecodableWireMap.Type {
      let value = try describe(map.valueType, path: path)
      return (.map(key: map.keySchemaType, value: value), map.empty as? T)
    }
    if let enumeration = T.self as? any WireEnum.Type {
      let (type, first) = try describeEnum(enumeration, path: path)
      return (type, first as? T)
    }
    return try describeOther(T.self, needsValue: needsValue, path: path)
  }

  /// Describes a type known only as a metatype, without needing a value.
  func describe(_ type: any Decodable.Type, path: [any CodingKey]) throws -> FieldType {
    func open<U: Decodable>(_ type: U.Type) throws -> FieldType {
      try describe(U.self, needsValue: false, path: path).type
    }
    return try open(type)
  }

  private func describeEnum<E: WireEnum>(
    _ type: E.Type, path: [any CodingKey]
  ) throws -> (FieldType, E) {
    let name = SchemaNaming.name(of: E.self)
    guard let first = E.allCases.first else {
      throw WireFormatError.unsupported("enum \(name) has no cases", path: CodingPath.render(path))
    }
    if schema.enums[name] == nil {
      let rawType = try describe(E.RawValue.self, needsValue: false, path: path).type
      guard rawType == .string || rawType.isInteger else {
        throw WireFormatError.unsupported(
          "raw values of \(name) must be String or an integer type, not \(rawType)",
          path: CodingPath.render(path))
      }
      let cases = E.allCases.map {
        EnumCase(name: String(describing: $0), rawValue: String(describing: $0.rawValue))
      }
      schema.enums[name] = EnumSchema(name: name, rawType: rawType, cases: cases)
    }
    return (.enumeration(name), first)
  }

  /// Describes a message, or a type with a single-value or unkeyed encoding of its own, by
  /// running its `init(from:)` against a ``SchemaRecorder``.
  private func describeOther<T: Decodable>(
    _ type: T.Type, needsValue: Bool, path: [any CodingKey]
  ) throws -> (type: FieldType, value: T?) {
    let name = SchemaNaming.name(of: T.self)
    if inProgress.contains(name) {
      guard !needsValue else {
        throw WireFormatError.unsupported(
          "\(name) contains itself through a required field; "
            + "recursion must go through an optional, an array or a map",
          path: CodingPath.render(path))
      }
      return (.message(name), nil)
    }
    if !needsValue, schema.messages[name] != nil {
      return (.message(name), nil)
    }
    inProgress.insert(name)
    defer { inProgress.remove(name) }
    let recorder = SchemaRecorder(builder: self, codingPath: path)
    let value: T
    do {
      value = try T(from: recorder)
    } catch {
      throw WireFormatError.wrapping(error, path: CodingPath.render(path))
    }
    switch recorder.shape {
    case .none, .message:
      if schema.messages[name] == nil {
        schema.messages[name] = MessageSchema(name: name, fields: recorder.fields)
      }
      return (.message(name), value)
    case .array(let element?), .single(let element?):
      return (recorder.shape.isArray ? .array(element) : element, value)
    case .array(nil), .single(nil):
      throw WireFormatError.unsupported(
        "\(name) asked for a container but decoded nothing from it", path: CodingPath.render(path))
    }
  }
}
