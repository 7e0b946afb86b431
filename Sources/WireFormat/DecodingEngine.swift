internal import Foundation

/// The Codable `Decoder` behind ``BinaryDecoder``.
///
/// `slot` says where the value being decoded lies: a whole top-level region, a field already
/// found by the enclosing message's index, or a bare array element / map value whose length is
/// only known once the element type reads it (`consumedEnd`). Reading is type-driven: the
/// container a type asks for decides how the bytes are read, and every length is checked
/// against the bytes that remain before anything is sliced or allocated.
final class DecodingEngine: Decoder, CodingPathOwner {
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
  // Exclusivity is not checked dynamically on these, as in `EncodingEngine`: the engine is
  // confined to one decode call on one thread and never re-enters a property mid-access.
  @exclusivity(unchecked) private(set) var slot: Slot
  /// Where the bare value of a `.element` or `.topLevel` slot ended, once something has read it.
  @exclusivity(unchecked) private(set) var consumedEnd: Int?
  @exclusivity(unchecked) private(set) var depth = 0
  @exclusivity(unchecked) var codingPath: [any CodingKey] = []
  /// The field indexes of the messages being decoded; a keyed container holds its run's bounds.
  @exclusivity(unchecked) private(set) var fieldIndex = FieldIndexStack()

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
  /// For a bare value, `end` receives where it ended (nil when nothing read it; fields and the
  /// top-level message have a known extent). An `inout` rather than a returned tuple or optional
  /// of `T`, each of which would cost a runtime metadata lookup per call.
  func decodeValue<T: Decodable>(_ type: T.Type, in newSlot: Slot, end: inout Int?) throws -> T {
    guard depth < limits.maxDepth else {
      throw WireFormatError.depthLimitExceeded(limit: limits.maxDepth, path: path)
    }
    depth += 1
    let savedSlot = slot
    let savedEnd = consumedEnd
    // The containers of this value, and of the values inside it, are done with when it is.
    let savedFieldCount = fieldIndex.count
    slot = newSlot
    consumedEnd = nil
    defer {
      depth -= 1
      slot = savedSlot
      consumedEnd = savedEnd
      fieldIndex.truncate(to: savedFieldCount)
    }
    do {
      let value = try decodeCurrent(T.self)
      end = consumedEnd
      return value
    } catch let error as WireFormatError {
      throw error.locating(at: path)
    } catch {
      throw WireFormatError.wrapping(error, path: path)
    }
  }

  /// Decodes the value of a message field.
  func decodeField<T: Decodable>(_ type: T.Type, _ field: FieldEntry) throws -> T {
    var end: Int?
    return try decodeValue(T.self, in: .field(field), end: &end)
  }

  /// Whether ``decodeFieldDirectly(_:_:)`` reads `T`: the leaf types whose encoding is not their
  /// own `init(from:)` (`Data`, `Date`, `UUID`). Pointer comparisons only.
  @inline(__always)
  static func decodesDirectly<T>(_ type: T.Type) -> Bool {
    T.self == Data.self || T.self == Date.self || T.self == UUID.self
  }

  /// Reads a `Data`, `Date` or `UUID` field straight from the index, without pushing a coding
  /// path, saving the slot or calling through `Decodable`: the keyed container's fast path.
  /// `T` must satisfy ``decodesDirectly(_:)``; errors carry no path (callers locate them).
  func decodeFieldDirectly<T>(_ type: T.Type, _ field: FieldEntry) throws(WireFormatError) -> T {
    // The same depth rule as a value decoded through `decodeValue`.
    guard depth < limits.maxDepth else {
      throw .depthLimitExceeded(limit: limits.maxDepth, path: "")
    }
    // Each branch runs only when T is exactly the type reinterpreted (see `decodeCurrent`).
    if T.self == Data.self {
      try expect(.lengthDelimited, field)
      return unsafeBitCast(ScalarDecoding.data(bytes, field.value), to: T.self)
    } else if T.self == Date.self {
      try expect(.varint, field)
      var reader = WireReader(bytes, from: field.value.lowerBound, to: field.value.upperBound)
      return unsafeBitCast(ScalarDecoding.date(try reader.readVarint()), to: T.self)
    } else {
      precondition(T.self == UUID.self, "decodeFieldDirectly(\(T.self)) is not a direct type")
      try expect(.lengthDelimited, field)
      return unsafeBitCast(try ScalarDecoding.uuid(bytes, field.value), to: T.self)
    }
  }

  /// Decodes an array element or map value starting at `range.lowerBound`; `end` receives where it ended.
  func decodeElement<T: Decodable>(_ type: T.Type, in range: Range<Int>, end: inout Int) throws -> T {
    var valueEnd: Int?
    let value = try decodeValue(T.self, in: .element(range), end: &valueEnd)
    if let valueEnd {
      end = valueEnd
      return value
    }
    // The type read nothing; the encoder wrote such a value as an empty message.
    var reader = WireReader(bytes, from: range.lowerBound, to: range.upperBound)
    do throws(WireFormatError) {
      _ = try reader.readLengthDelimited()
    } catch {
      throw error.locating(at: path)
    }
    end = reader.position
    return value
  }

  /// Decodes a value in the current slot, as the single-value container of a wrapper type does.
  func decodeInPlace<T: Decodable>(_ type: T.Type) throws -> T {
    var end: Int?
    let value = try decodeValue(T.self, in: slot, end: &end)
    if let end {
      consumedEnd = end
    }
    return value
  }

  /// Decodes the current slot: scalars, `Data`, `Date`, `UUID` and maps directly, anything else
  /// through its own `init(from:)`.
  private func decodeCurrent<T: Decodable>(_ type: T.Type) throws -> T {
    // Each branch runs only when T is exactly the type reinterpreted, so `unsafeBitCast` is a
    // plain copy; a runtime cast per value would cost more than the read.
    if T.self == String.self {
      return unsafeBitCast(try ScalarDecoding.string(bytes, readLengthDelimited()), to: T.self)
    } else if T.self == Int.self {
      return unsafeBitCast(try ScalarDecoding.signed(readVarint(), as: Int.self), to: T.self)
    } else if T.self == Bool.self {
      return unsafeBitCast(try ScalarDecoding.bool(readVarint()), to: T.self)
    } else if T.self == Double.self {
      return unsafeBitCast(Double(bitPattern: try readFixed64()), to: T.self)
    } else if T.self == Int64.self {
      return unsafeBitCast(try ScalarDecoding.signed(readVarint(), as: Int64.self), to: T.self)
    } else if T.self == UInt64.self {
      return unsafeBitCast(try ScalarDecoding.unsigned(readVarint(), as: UInt64.self), to: T.self)
    } else if T.self == Int32.self {
      return unsafeBitCast(try ScalarDecoding.signed(readVarint(), as: Int32.self), to: T.self)
    } else if T.self == UInt32.self {
      return unsafeBitCast(try ScalarDecoding.unsigned(readVarint(), as: UInt32.self), to: T.self)
    } else if T.self == Float.self {
      return unsafeBitCast(Float(bitPattern: try readFixed32()), to: T.self)
    } else if T.self == UInt8.self {
      return unsafeBitCast(try ScalarDecoding.unsigned(readVarint(), as: UInt8.self), to: T.self)
    } else if T.self == UInt.self {
      return unsafeBitCast(try ScalarDecoding.unsigned(readVarint(), as: UInt.self), to: T.self)
    } else if T.self == Int8.self {
      return unsafeBitCast(try ScalarDecoding.signed(readVarint(), as: Int8.self), to: T.self)
    } else if T.self == Int16.self {
      return unsafeBitCast(try ScalarDecoding.signed(readVarint(), as: Int16.self), to: T.self)
    } else if T.self == UInt16.self {
      return unsafeBitCast(try ScalarDecoding.unsigned(readVarint(), as: UInt16.self), to: T.self)
    } else if T.self == Data.self {
      return unsafeBitCast(ScalarDecoding.data(bytes, try readLengthDelimited()), to: T.self)
    } else if T.self == Date.self {
      return unsafeBitCast(ScalarDecoding.date(try readVarint()), to: T.self)
    } else if T.self == UUID.self {
      return unsafeBitCast(try ScalarDecoding.uuid(bytes, readLengthDelimited()), to: T.self)
    }
    // Every Dictionary is one reference wide; checking the size first skips the costly
    // conformance lookup for almost every message type.
    if MemoryLayout<T>.size == MemoryLayout<[String: Int]>.size,
      let map = T.self as? any DecodableWireMap.Type
    {
      return try decodeMap(map, as: T.self)
    }
    do {
      return try T(from: self)
    } catch {
      // A WireEnum's own init(from:) rejects unknown raw values with a generic DecodingError;
      // name the value instead. Checked only on failure, so decoding enums costs no cast.
      if let enumeration = T.self as? any WireEnum.Type, let unknown = unknownEnumValue(enumeration) {
        throw unknown
      }
      throw error
    }
  }

  private func decodeMap<M: DecodableWireMap, T>(_ map: M.Type, as type: T.Type) throws -> T {
    let payload = try readLengthDelimited()
    guard let result = try M.decodeWireMap(from: self, payload: payload) as? T else {
      throw WireFormatError.unsupported("\(M.self) did not decode as \(T.self)", path: path)
    }
    return result
  }

  /// The error for a raw value of `E` that names no case, if that is what the current slot holds.
  private func unknownEnumValue<E: WireEnum>(_ enumeration: E.Type) -> WireFormatError? {
    guard let raw = try? E.RawValue(from: self), E(rawValue: raw) == nil else {
      return nil
    }
    return .unknownEnumValue(
      type: SchemaNaming.name(of: E.self), rawValue: String(describing: raw), path: path)
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
          engine: self, run: try indexFields(region), nestedPath: nil))
    } catch {
      throw error.locating(at: path)
    }
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    do throws(WireFormatError) {
      return ArrayDecodingContainer(
        engine: self, payload: try readLengthDelimited(), nestedPath: nil)
    } catch {
      throw error.locating(at: path)
    }
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    ValueDecodingContainer(engine: self)
  }

  /// Indexes the fields of the message in `region`, pushing them on ``fieldIndex``.
  ///
  /// - Returns: where in ``fieldIndex`` the message's run lies, until the value being decoded
  ///   when it was pushed is done.
  func indexFields(_ region: Range<Int>) throws(WireFormatError) -> Range<Int> {
    var reader = WireReader(bytes, from: region.lowerBound, to: region.upperBound)
    let start = fieldIndex.count
    do {
      try reader.forEachField(limit: limits.maxContainerCount) { fieldIndex.append($0) }
    } catch {
      fieldIndex.truncate(to: start)
      throw error
    }
    return start..<fieldIndex.count
  }

  /// Entry `index` of the field index. Containers call this only for runs still pushed; see
  /// ``MessageDecodingContainer``.
  @inline(__always)
  func field(at index: Int) -> FieldEntry {
    fieldIndex.entry(at: index)
  }

  /// Whether the run a container was given is still on the field index: false once the value
  /// that pushed it has been decoded, if a type kept a container past its `init(from:)`.
  @inline(__always)
  func holds(_ run: Range<Int>) -> Bool {
    run.upperBound <= fieldIndex.count
  }

  static func unsupportedSuperDecoder(path: String) -> WireFormatError {
    .unsupported("superDecoder() is not supported; decode the superclass's fields directly", path: path)
  }
}
