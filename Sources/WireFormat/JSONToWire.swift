internal import Foundation

/// One JSON-to-wire conversion: walks a ``JSONValue`` along the schema and writes exactly what
/// ``BinaryEncoder`` writes for the same value.
struct JSONToWire {
  let transcoder: JSONTranscoder
  var writer = WireWriter()
  /// The field path of the value being written, for errors.
  private var path: [String] = []

  init(transcoder: JSONTranscoder) {
    self.transcoder = transcoder
  }

  private var limits: BinaryDecoder.Limits { transcoder.limits }

  private func mismatch(_ expected: String, _ found: JSONValue) -> WireFormatError {
    .typeMismatch(expected: expected, found: found.kind, path: CodingPath.render(path))
  }

  /// Writes the fields of `message` from a JSON object, in schema order.
  mutating func writeFields(
    of message: MessageSchema, from value: JSONValue, depth: Int
  ) throws(WireFormatError) {
    guard case .object(let members) = value else {
      throw mismatch("an object for message \(message.name)", value)
    }
    guard depth <= limits.maxDepth else {
      throw .depthLimitExceeded(limit: limits.maxDepth, path: CodingPath.render(path))
    }
    let index = transcoder.fieldIndex[message.name] ?? [:]
    var values = [JSONValue?](repeating: nil, count: message.fields.count)
    for (name, member) in members {
      guard let position = index[name] else {
        throw .unknownField(name, path: CodingPath.render(path + [name]))
      }
      values[position] = member
    }
    for (field, value) in zip(message.fields, values) {
      path.append(field.name)
      defer { path.removeLast() }
      guard let value, !isNull(value) else {
        guard field.optional else {
          throw .missingRequiredField(number: field.number, path: CodingPath.render(path))
        }
        continue
      }
      let key: FieldKey = field.number.map { .number($0) } ?? .name(field.name)
      writer.writeKey(key, try transcoder.wireType(of: field.type, path: path))
      try writeBare(field.type, value, depth: depth)
    }
  }

  private func isNull(_ value: JSONValue) -> Bool {
    if case .null = value { true } else { false }
  }

  /// Writes `value` as `type` with no key: a field's value, an array element or a map entry part.
  private mutating func writeBare(_ type: FieldType, _ value: JSONValue, depth: Int) throws(WireFormatError) {
    switch type {
    case .bool:
      guard case .bool(let bool) = value else { throw mismatch("a boolean", value) }
      writer.writeVarint(bool ? 1 : 0)
    case .int8, .int16, .int32, .int64:
      writer.writeZigZag(try signed(type, value))
    case .uint8, .uint16, .uint32, .uint64:
      writer.writeVarint(try unsigned(type, value))
    case .float:
      writer.writeFixed32(try floatingPoint(value, parse: { Float($0) }, name: "float").bitPattern)
    case .double:
      writer.writeFixed64(try floatingPoint(value, parse: { Double($0) }, name: "double").bitPattern)
    case .string:
      guard case .string(let string) = value else { throw mismatch("a string", value) }
      writer.writeString(string)
    case .bytes:
      guard case .string(let string) = value else { throw mismatch("a base64 string", value) }
      guard let data = Data(base64Encoded: string) else {
        throw .invalidValue("'\(string)' is not base64", path: CodingPath.render(path))
      }
      writer.writeLengthPrefixed(data)
    case .timestamp:
      guard case .string(let string) = value else { throw mismatch("an RFC 3339 timestamp string", value) }
      do throws(WireFormatError) {
        writer.writeZigZag(try RFC3339.parse(string))
      } catch {
        throw error.locating(at: CodingPath.render(path))
      }
    case .uuid:
      guard case .string(let string) = value else { throw mismatch("a UUID string", value) }
      guard let uuid = UUID(uuidString: string) else {
        throw .invalidValue("'\(string)' is not a UUID", path: CodingPath.render(path))
      }
      writer.writeVarint(16)
      withUnsafeBytes(of: uuid.uuid) { writer.bytes.append(contentsOf: $0) }
    case .array(let element):
      try writeArray(element, value, depth: depth + 1)
    case .map(let key, let valueType):
      try writeMap(key, valueType, value, depth: depth + 1)
    case .message(let name), .enumeration(let name):
      switch try transcoder.resolve(name, path: path) {
      case .message(let message):
        let slot = writer.reserveLength()
        try writeFields(of: message, from: value, depth: depth + 1)
        writer.patchLength(at: slot)
      case .enumeration(let enumeration):
        try writeEnum(enumeration, value)
      }
    }
  }

  private mutating func writeArray(_ elementType: FieldType, _ value: JSONValue, depth: Int) throws(WireFormatError) {
    guard case .array(let elements) = value else { throw mismatch("an array", value) }
    try checkContainer(count: elements.count, depth: depth)
    let slot = writer.reserveLength()
    for (index, element) in elements.enumerated() {
      path.append("[\(index)]")
      defer { path.removeLast() }
      guard !isNull(element) else {
        throw .unsupported("arrays cannot hold null", path: CodingPath.render(path))
      }
      try writeBare(elementType, element, depth: depth)
    }
    writer.patchLength(at: slot)
  }

  private mutating func writeMap(
    _ keyType: FieldType, _ valueType: FieldType, _ value: JSONValue, depth: Int
  ) throws(WireFormatError) {
    guard case .object(let members) = value else { throw mismatch("an object for a map", value) }
    try checkContainer(count: members.count, depth: depth)
    // Parse every key, then sort as BinaryEncoder does (strings by UTF-8 bytes, integers
    // numerically); of equal keys the last one wins.
    var entries: [(key: JSONMapKey, order: Int, value: JSONValue)] = []
    for (order, member) in members.enumerated() {
      path.append("[\(member.key)]")
      defer { path.removeLast() }
      entries.append((try mapKey(keyType, member.key), order, member.value))
    }
    entries.sort { $0.key == $1.key ? $0.order < $1.order : $0.key < $1.key }
    let slot = writer.reserveLength()
    for (index, entry) in entries.enumerated() {
      if index + 1 < entries.count, entries[index + 1].key == entry.key {
        continue
      }
      path.append("[\(members[entry.order].key)]")
      defer { path.removeLast() }
      guard !isNull(entry.value) else {
        throw .unsupported("map values cannot be null", path: CodingPath.render(path))
      }
      switch entry.key {
      case .string(let string): writer.writeString(string)
      case .signed(let number): writer.writeZigZag(number)
      case .unsigned(let number): writer.writeVarint(number)
      }
      try writeBare(valueType, entry.value, depth: depth)
    }
    writer.patchLength(at: slot)
  }

  private mutating func writeEnum(_ enumeration: EnumSchema, _ value: JSONValue) throws(WireFormatError) {
    guard case .string(let name) = value else {
      throw mismatch("a case name of \(enumeration.name)", value)
    }
    guard let match = enumeration.cases.first(where: { $0.name == name }) else {
      let names = enumeration.cases.map(\.name).joined(separator: ", ")
      throw .invalidValue(
        "'\(name)' is not a case of \(enumeration.name) (\(names))", path: CodingPath.render(path))
    }
    try writeBare(enumeration.rawType, rawJSON(match.rawValue, enumeration.rawType), depth: 0)
  }

  /// The JSON a raw value string stands for: a number for integer raw types.
  private func rawJSON(_ rawValue: String, _ rawType: FieldType) -> JSONValue {
    rawType.isInteger ? .number(rawValue) : .string(rawValue)
  }

  private func checkContainer(count: Int, depth: Int) throws(WireFormatError) {
    guard depth <= limits.maxDepth else {
      throw .depthLimitExceeded(limit: limits.maxDepth, path: CodingPath.render(path))
    }
    guard count <= limits.maxContainerCount else {
      throw .containerLimitExceeded(limit: limits.maxContainerCount, path: CodingPath.render(path))
    }
  }

  // MARK: Numbers

  /// The integer a JSON number spells, if it has no fraction or exponent.
  private func integerText(_ value: JSONValue) throws(WireFormatError) -> String {
    guard case .number(let text) = value else { throw mismatch("an integer", value) }
    guard !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
      throw .typeMismatch(
        expected: "an integer", found: "a number with a fraction or exponent (\(text))",
        path: CodingPath.render(path))
    }
    return text
  }

  private func signed(_ type: FieldType, _ value: JSONValue) throws(WireFormatError) -> Int64 {
    let text = try integerText(value)
    let range: ClosedRange<Int64> =
      switch type {
      case .int8: Int64(Int8.min)...Int64(Int8.max)
      case .int16: Int64(Int16.min)...Int64(Int16.max)
      case .int32: Int64(Int32.min)...Int64(Int32.max)
      default: Int64.min...Int64.max
      }
    guard let number = Int64(text), range.contains(number) else {
      throw .valueOutOfRange(type: type.description, value: text, path: CodingPath.render(path))
    }
    return number
  }

  private func unsigned(_ type: FieldType, _ value: JSONValue) throws(WireFormatError) -> UInt64 {
    let text = try integerText(value)
    let maximum: UInt64 =
      switch type {
      case .uint8: UInt64(UInt8.max)
      case .uint16: UInt64(UInt16.max)
      case .uint32: UInt64(UInt32.max)
      default: UInt64.max
      }
    guard let number = UInt64(text), number <= maximum else {
      throw .valueOutOfRange(type: type.description, value: text, path: CodingPath.render(path))
    }
    return number
  }

  private func floatingPoint<F: BinaryFloatingPoint>(
    _ value: JSONValue, parse: (String) -> F?, name: String
  ) throws(WireFormatError) -> F {
    switch value {
    case .number(let text):
      guard let number = parse(text), number.isFinite else {
        throw .valueOutOfRange(type: name, value: text, path: CodingPath.render(path))
      }
      return number
    case .string("NaN"): return .nan
    case .string("Infinity"): return .infinity
    case .string("-Infinity"): return -.infinity
    default:
      throw mismatch("a number (or \"NaN\", \"Infinity\", \"-Infinity\")", value)
    }
  }

  // MARK: Map keys

  private func mapKey(_ type: FieldType, _ text: String) throws(WireFormatError) -> JSONMapKey {
    if type == .string {
      return .string(text)
    }
    // Integer keys are decimal strings; the JSON number grammar checks the digits.
    let number = JSONValue.number(text)
    guard text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
      !text.isEmpty
    else {
      throw .typeMismatch(expected: "a decimal integer key", found: "'\(text)'", path: CodingPath.render(path))
    }
    return type.isSignedInteger ? .signed(try signed(type, number)) : .unsigned(try unsigned(type, number))
  }
}
