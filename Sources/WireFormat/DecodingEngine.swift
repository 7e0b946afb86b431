internal import Foundation

/// The Codable `Decoder` behind ``BinaryDecoder``.
///
/// `slot` says where the value being decoded lies: a whole top-level region, a field already
/// found by the enclosing message's index, or a bare array element / map value whose length is
/// only known once the element type reads it (`consumedEnd`). Reading is type-driven: the
/// container a type asks for decides how the bytes are read, and every length is checked
/// against the bytes that remain before anything is sliced or allocated.
final class DecodingEngine: Decoder {
  enum Slot {
    /// The whole input: a message's fields, or one bare value that must fill it.
    case topLevel(Range<Int>)
    /// A field of the enclosing message.
    case field(FieldEntry)
    /// A bare value starting at `lowerBound` that may extend up to `upperBound`.
    case element(Range<Int>)
  }

  let bytes: ArraySlice<UInt8>
  let limits: BinaryDecoder.Limits
  private(set) var slot: Slot
  /// Where the bare value of a `.element` or `.topLevel` slot ended, once something has read it.
  private(set) var consumedEnd: Int?
  private var depth = 0
  var codingPath: [any CodingKey] = []

  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(bytes: ArraySlice<UInt8>, limits: BinaryDecoder.Limits) {
    self.bytes = bytes
    self.limits = limits
    self.slot = .topLevel(bytes.startIndex..<bytes.endIndex)
  }

  var path: String { CodingPath.render(codingPath) }

  // MARK: Nested values

  /// Decodes a value in `newSlot`, one level deeper.
  ///
  /// - Returns: the value, and where it ended if it was read bare (nil when nothing read it, or
  ///   for fields and the top-level message, whose extent is known beforehand).
  func decodeValue<T: Decodable>(_ type: T.Type, in newSlot: Slot) throws -> (T, Int?) {
    guard depth < limits.maxDepth else {
      throw WireFormatError.depthLimitExceeded(limit: limits.maxDepth, path: path)
    }
    depth += 1
    let saved = (slot, consumedEnd)
    slot = newSlot
    consumedEnd = nil
    defer {
      depth -= 1
      (slot, consumedEnd) = saved
    }
    do {
      return (try decodeCurrent(T.self), consumedEnd)
    } catch let error as WireFormatError {
      throw error.locating(at: path)
    } catch {
      throw WireFormatError.wrapping(error, path: path)
    }
  }

  /// Decodes an array element or map value starting at `range.lowerBound`; returns where it ended.
  func decodeElement<T: Decodable>(_ type: T.Type, in range: Range<Int>) throws -> (T, Int) {
    let (value, end) = try decodeValue(T.self, in: .element(range))
    if let end {
      return (value, end)
    }
    // The type read nothing; the encoder wrote such a value as an empty message.
    var reader = WireReader(bytes, from: range.lowerBound, to: range.upperBound)
    do throws(WireFormatError) {
      _ = try reader.readLengthDelimited()
    } catch {
      throw error.locating(at: path)
    }
    return (value, reader.position)
  }

  /// Decodes a value in the current slot, as the single-value container of a wrapper type does.
  func decodeInPlace<T: Decodable>(_ type: T.Type) throws -> T {
    let (value, end) = try decodeValue(T.self, in: slot)
    if let end {
      consumedEnd = end
    }
    return value
  }

  /// Decodes the current slot, reading the types the encoding treats specially before falling
  /// back to the type's own `init(from:)`.
  private func decodeCurrent<T: Decodable>(_ type: T.Type) throws -> T {
    if T.self == Data.self {
      return try same(ScalarDecoding.data(bytes, readLengthDelimited()), as: T.self)
    }
    if T.self == Date.self {
      return try same(ScalarDecoding.date(readVarint()), as: T.self)
    }
    if T.self == UUID.self {
      return try same(ScalarDecoding.uuid(bytes, readLengthDelimited()), as: T.self)
    }
    if let map = T.self as? any DecodableWireMap.Type {
      return try decodeMap(map, as: T.self)
    }
    if let enumeration = T.self as? any WireEnum.Type {
      return try decodeEnum(enumeration, as: T.self)
    }
    return try T(from: self)
  }

  /// `value` as `T`, which the caller has checked it is.
  private func same<V, T>(_ value: V, as type: T.Type) throws -> T {
    guard let result = value as? T else {
      throw WireFormatError.unsupported("\(V.self) did not decode as \(T.self)", path: path)
    }
    return result
  }

  private func decodeMap<M: DecodableWireMap, T>(_ map: M.Type, as type: T.Type) throws -> T {
    let payload = try readLengthDelimited()
    return try same(M.decodeWireMap(from: self, payload: payload), as: T.self)
  }

  private func decodeEnum<E: WireEnum, T>(_ enumeration: E.Type, as type: T.Type) throws -> T {
    let raw = try E.RawValue(from: self)
    guard let value = E(rawValue: raw) else {
      throw WireFormatError.unknownEnumValue(
        type: SchemaNaming.name(of: E.self), rawValue: String(describing: raw), path: path)
    }
    return try same(value, as: T.self)
  }

  // MARK: Reading the current slot (errors without a path; callers locate them)

  func readVarint() throws(WireFormatError) -> UInt64 {
    switch slot {
    case .field(let field):
      try expect(.varint, field)
      var reader = WireReader(bytes, from: field.value.lowerBound, to: field.value.upperBound)
      return try reader.readVarint()
    case .element(let range), .topLevel(let range):
      var reader = WireReader(bytes, from: range.lowerBound, to: range.upperBound)
      let value = try reader.readVarint()
      consumedEnd = reader.position
      return value
    }
  }

  func readFixed32() throws(WireFormatError) -> UInt32 {
    switch slot {
    case .field(let field):
      try expect(.fixed32, field)
      var reader = WireReader(bytes, from: field.value.lowerBound, to: field.value.upperBound)
      return try reader.readFixed32()
    case .element(let range), .topLevel(let range):
      var reader = WireReader(bytes, from: range.lowerBound, to: range.upperBound)
      let value = try reader.readFixed32()
      consumedEnd = reader.position
      return value
    }
  }

  func readFixed64() throws(WireFormatError) -> UInt64 {
    switch slot {
    case .field(let field):
      try expect(.fixed64, field)
      var reader = WireReader(bytes, from: field.value.lowerBound, to: field.value.upperBound)
      return try reader.readFixed64()
    case .element(let range), .topLevel(let range):
      var reader = WireReader(bytes, from: range.lowerBound, to: range.upperBound)
      let value = try reader.readFixed64()
      consumedEnd = reader.position
      return value
    }
  }

  /// The payload of a length-delimited value (for a bare value, after reading its length).
  func readLengthDelimited() throws(WireFormatError) -> Range<Int> {
    switch slot {
    case .field(let field):
      try expect(.lengthDelimited, field)
      return field.value
    case .element(let range), .topLevel(let range):
      var reader = WireReader(bytes, from: range.lowerBound, to: range.upperBound)
      let payload = try reader.readLengthDelimited()
      consumedEnd = reader.position
      return payload
    }
  }

  private func expect(_ wireType: WireType, _ field: FieldEntry) throws(WireFormatError) {
    guard field.wireType == wireType else {
      throw .wrongWireType(field: field.number, expected: wireType, found: field.wireType, path: "")
    }
  }

  // MARK: Coding path

  /// Pushes `key` onto the coding path of a container whose own path is `containerPath`.
  @inline(__always)
  func enterPath(_ containerPath: [any CodingKey], _ key: any CodingKey) {
    // Only containers from nestedContainer(...) have a path longer than the engine's.
    if codingPath.count != containerPath.count {
      codingPath = containerPath
    }
    codingPath.append(key)
  }

  @inline(__always)
  func leavePath() {
    codingPath.removeLast()
  }

  // MARK: Decoder

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    do throws(WireFormatError) {
      let region: Range<Int>
      if case .topLevel(let range) = slot {
        region = range
      } else {
        region = try readLengthDelimited()
      }
      return KeyedDecodingContainer(
        MessageDecodingContainer<Key>(
          engine: self, fields: try indexFields(region), codingPath: codingPath))
    } catch {
      throw error.locating(at: path)
    }
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    do throws(WireFormatError) {
      return ArrayDecodingContainer(
        engine: self, payload: try readLengthDelimited(), codingPath: codingPath)
    } catch {
      throw error.locating(at: path)
    }
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    ValueDecodingContainer(engine: self, codingPath: codingPath)
  }

  /// Indexes the fields of the message in `region`.
  func indexFields(_ region: Range<Int>) throws(WireFormatError) -> [FieldEntry] {
    var reader = WireReader(bytes, from: region.lowerBound, to: region.upperBound)
    return try reader.readFields(limit: limits.maxContainerCount)
  }

  static func unsupportedSuperDecoder(path: String) -> WireFormatError {
    .unsupported("superDecoder() is not supported; decode the superclass's fields directly", path: path)
  }
}
