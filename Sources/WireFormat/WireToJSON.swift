internal import Foundation

/// One wire-to-JSON conversion: reads a message along the schema into a ``JSONValue``, checking
/// the input as ``BinaryDecoder`` does (wire types, ranges, UTF-8, limits).
struct WireToJSON {
  let transcoder: JSONTranscoder
  let bytes: ArraySlice<UInt8>
  /// The field path of the value being read, for errors.
  private var path: [String] = []

  init(transcoder: JSONTranscoder, bytes: ArraySlice<UInt8>) {
    self.transcoder = transcoder
    self.bytes = bytes
  }

  private var limits: BinaryDecoder.Limits { transcoder.limits }

  private var location: String { CodingPath.render(path) }

  /// Runs a primitive read, locating its errors at the current path.
  private func located<T>(_ body: () throws(WireFormatError) -> T) throws(WireFormatError) -> T {
    do throws(WireFormatError) {
      return try body()
    } catch {
      throw error.locating(at: location)
    }
  }

  /// Reads the message in `region` as a JSON object with its fields in schema order.
  mutating func readFields(
    of message: MessageSchema, in region: Range<Int>, depth: Int
  ) throws(WireFormatError) -> JSONValue {
    guard depth <= limits.maxDepth else {
      throw .depthLimitExceeded(limit: limits.maxDepth, path: location)
    }
    var reader = WireReader(bytes, from: region.lowerBound, to: region.upperBound)
    let limit = limits.maxContainerCount
    let entries = try located { () throws(WireFormatError) in try reader.readFields(limit: limit) }
    var members: [(key: String, value: JSONValue)] = []
    for field in message.fields {
      path.append(field.name)
      defer { path.removeLast() }
      guard let entry = find(field, in: entries) else {
        guard field.optional else {
          throw .missingRequiredField(number: field.number, path: location)
        }
        continue
      }
      let expected = try transcoder.wireType(of: field.type, path: path)
      guard entry.wireType == expected else {
        throw .wrongWireType(field: entry.number, expected: expected, found: entry.wireType, path: location)
      }
      let value: JSONValue
      if expected == .lengthDelimited {
        value = try readPayload(field.type, entry.value, depth: depth)
      } else {
        var reader = WireReader(bytes, from: entry.value.lowerBound, to: entry.value.upperBound)
        value = try readScalar(field.type, &reader)
      }
      members.append((field.name, value))
    }
    return .object(members)
  }

  /// The last entry for `field`: by number, or by name for named fields.
  private func find(_ field: FieldSchema, in entries: [FieldEntry]) -> FieldEntry? {
    if let number = field.number {
      return entries.last { $0.number == number }
    }
    return entries.last { $0.number == 0 && bytes[$0.name].elementsEqual(field.name.utf8) }
  }

  /// Reads one bare value of `type` (an array element or map value).
  private mutating func readBare(
    _ type: FieldType, _ reader: inout WireReader, depth: Int
  ) throws(WireFormatError) -> JSONValue {
    if try transcoder.wireType(of: type, path: path) == .lengthDelimited {
      let payload = try located { () throws(WireFormatError) in try reader.readLengthDelimited() }
      return try readPayload(type, payload, depth: depth)
    }
    return try readScalar(type, &reader)
  }

  /// Reads a varint or fixed-width value of `type`.
  private func readScalar(_ type: FieldType, _ reader: inout WireReader) throws(WireFormatError) -> JSONValue {
    try located { () throws(WireFormatError) in
      switch type {
      case .bool:
        return .bool(try ScalarDecoding.bool(reader.readVarint()))
      case .int8:
        return .number(String(try ScalarDecoding.signed(reader.readVarint(), as: Int8.self)))
      case .int16:
        return .number(String(try ScalarDecoding.signed(reader.readVarint(), as: Int16.self)))
      case .int32:
        return .number(String(try ScalarDecoding.signed(reader.readVarint(), as: Int32.self)))
      case .int64:
        return .number(String(try ScalarDecoding.signed(reader.readVarint(), as: Int64.self)))
      case .uint8:
        return .number(String(try ScalarDecoding.unsigned(reader.readVarint(), as: UInt8.self)))
      case .uint16:
        return .number(String(try ScalarDecoding.unsigned(reader.readVarint(), as: UInt16.self)))
      case .uint32:
        return .number(String(try ScalarDecoding.unsigned(reader.readVarint(), as: UInt32.self)))
      case .uint64:
        return .number(String(try reader.readVarint()))
      case .float:
        return Self.json(Float(bitPattern: try reader.readFixed32()))
      case .double:
        return Self.json(Double(bitPattern: try reader.readFixed64()))
      case .timestamp:
        return .string(try RFC3339.format(micros: Varint.unZigZag(reader.readVarint())))
      case .message(let name), .enumeration(let name):
        guard case .enumeration(let enumeration) = try transcoder.resolve(name, path: path) else {
          throw .unsupported("message \(name) read as a scalar")
        }
        let raw = try readScalar(enumeration.rawType, &reader)
        guard case .number(let text) = raw else {
          throw .unsupported("enum \(name) has a non-integer raw type read as a scalar")
        }
        return try caseName(enumeration, rawValue: text)
      case .string, .bytes, .uuid, .array, .map:
        throw .unsupported("\(type) read as a scalar")
      }
    }
  }

  /// Reads a length-delimited value of `type` whose payload is `payload`.
  private mutating func readPayload(
    _ type: FieldType, _ payload: Range<Int>, depth: Int
  ) throws(WireFormatError) -> JSONValue {
    switch type {
    case .string:
      return .string(try located { () throws(WireFormatError) in try ScalarDecoding.string(bytes, payload) })
    case .bytes:
      return .string(ScalarDecoding.data(bytes, payload).base64EncodedString())
    case .uuid:
      return .string(try located { () throws(WireFormatError) in try ScalarDecoding.uuid(bytes, payload) }.uuidString)
    case .array(let element):
      return try readArray(element, payload, depth: depth + 1)
    case .map(let key, let value):
      return try readMap(key, value, payload, depth: depth + 1)
    case .message(let name), .enumeration(let name):
      switch try transcoder.resolve(name, path: path) {
      case .message(let message):
        return try readFields(of: message, in: payload, depth: depth + 1)
      case .enumeration(let enumeration):
        let raw = try located { () throws(WireFormatError) in try ScalarDecoding.string(bytes, payload) }
        return try located { () throws(WireFormatError) in try caseName(enumeration, rawValue: raw) }
      }
    default:
      throw .unsupported("\(type) read as length-delimited", path: location)
    }
  }

  private mutating func readArray(
    _ element: FieldType, _ payload: Range<Int>, depth: Int
  ) throws(WireFormatError) -> JSONValue {
    guard depth <= limits.maxDepth else {
      throw .depthLimitExceeded(limit: limits.maxDepth, path: location)
    }
    var reader = WireReader(bytes, from: payload.lowerBound, to: payload.upperBound)
    var elements: [JSONValue] = []
    while !reader.isAtEnd {
      guard elements.count < limits.maxContainerCount else {
        throw .containerLimitExceeded(limit: limits.maxContainerCount, path: location)
      }
      path.append("[\(elements.count)]")
      defer { path.removeLast() }
      elements.append(try readBare(element, &reader, depth: depth))
    }
    return .array(elements)
  }

  private mutating func readMap(
    _ keyType: FieldType, _ valueType: FieldType, _ payload: Range<Int>, depth: Int
  ) throws(WireFormatError) -> JSONValue {
    guard depth <= limits.maxDepth else {
      throw .depthLimitExceeded(limit: limits.maxDepth, path: location)
    }
    var reader = WireReader(bytes, from: payload.lowerBound, to: payload.upperBound)
    var entries: [(key: JSONMapKey, text: String, order: Int, value: JSONValue)] = []
    while !reader.isAtEnd {
      guard entries.count < limits.maxContainerCount else {
        throw .containerLimitExceeded(limit: limits.maxContainerCount, path: location)
      }
      let key = try readMapKey(keyType, &reader)
      path.append("[\(key.text)]")
      defer { path.removeLast() }
      let value = try readBare(valueType, &reader, depth: depth)
      entries.append((key.key, key.text, entries.count, value))
    }
    // Sorted by key like BinaryEncoder's maps; of equal keys the last one wins.
    entries.sort { $0.key == $1.key ? $0.order < $1.order : $0.key < $1.key }
    var members: [(key: String, value: JSONValue)] = []
    for (index, entry) in entries.enumerated()
    where index + 1 == entries.count || entries[index + 1].key != entry.key {
      members.append((entry.text, entry.value))
    }
    return .object(members)
  }

  private func readMapKey(
    _ type: FieldType, _ reader: inout WireReader
  ) throws(WireFormatError) -> (key: JSONMapKey, text: String) {
    try located { () throws(WireFormatError) in
      if type == .string {
        let string = try ScalarDecoding.string(bytes, reader.readLengthDelimited())
        return (.string(string), string)
      }
      guard case .number(let text) = try readScalar(type, &reader) else {
        throw .unsupported("map key type \(type)")
      }
      return type.isSignedInteger
        ? (.signed(Int64(text) ?? 0), text) : (.unsigned(UInt64(text) ?? 0), text)
    }
  }

  private func caseName(_ enumeration: EnumSchema, rawValue: String) throws(WireFormatError) -> JSONValue {
    guard let match = enumeration.cases.first(where: { $0.rawValue == rawValue }) else {
      throw .unknownEnumValue(type: enumeration.name, rawValue: rawValue, path: "")
    }
    return .string(match.name)
  }

  /// A finite number as its shortest round-trip text; NaN and infinities as strings.
  private static func json<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) -> JSONValue {
    if value.isNaN { return .string("NaN") }
    if value.isInfinite { return .string(value < 0 ? "-Infinity" : "Infinity") }
    return .number(value.description)
  }
}
