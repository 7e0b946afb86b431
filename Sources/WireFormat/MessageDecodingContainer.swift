internal import Foundation

/// The keyed container of ``DecodingEngine``: looks fields up in the message's one-pass index.
///
/// Numbered keys match field numbers, keys without an `intValue` match named fields; the last
/// occurrence wins. An absent field is `nil` for `decodeIfPresent` and a
/// `missingRequiredField` error for `decode`.
///
/// The index is the container's run of the engine's ``FieldIndexStack``, popped when the value
/// that asked for the container has been decoded. A type that keeps a container past its
/// `init(from:)` gets an `unsupported` error from it once its run is gone; if later runs have
/// been pushed over it, it reads their fields instead.
struct MessageDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let engine: DecodingEngine
  /// Where this message's entries lie in the engine's field index.
  let run: Range<Int>
  /// The container's own path if it came from `nestedContainer(...)`; otherwise nil, and its
  /// path is the engine's (see `enterPath`).
  let nestedPath: [any CodingKey]?

  var codingPath: [any CodingKey] { nestedPath ?? engine.codingPath }

  var allKeys: [Key] {
    guard engine.holds(run) else { return [] }
    return run.compactMap { index in
      let field = engine.field(at: index)
      if field.number != 0 {
        return Key(intValue: field.number)
      }
      let name = String(decoding: engine.bytes[field.name], as: UTF8.self)
      return Key(stringValue: name)
    }
  }

  func contains(_ key: Key) -> Bool {
    (try? find(key)) != nil
  }

  /// The last field matching `key`, or nil.
  ///
  /// - Throws: `unsupported` when this container's run has been popped.
  private func find(_ key: Key) throws(WireFormatError) -> FieldEntry? {
    guard engine.holds(run) else {
      throw .unsupported(
        "a container was used after its value finished decoding", path: CodingPath.render(codingPath, key))
    }
    var index = run.upperBound
    if let number = key.intValue {
      while index > run.lowerBound {
        index -= 1
        let field = engine.field(at: index)
        if field.number == number { return field }
      }
      return nil
    }
    let name = key.stringValue.utf8
    while index > run.lowerBound {
      index -= 1
      let field = engine.field(at: index)
      if field.number == 0, engine.bytes[field.name].elementsEqual(name) { return field }
    }
    return nil
  }

  private func require(_ key: Key) throws -> FieldEntry {
    guard let field = try find(key) else {
      throw WireFormatError.missingRequiredField(
        number: key.intValue, path: CodingPath.render(codingPath, key))
    }
    return field
  }

  /// Runs `body`, locating its errors at the field `key`.
  @inline(__always)
  private func located<T>(_ key: Key, _ body: () throws(WireFormatError) -> T) throws -> T {
    do throws(WireFormatError) {
      return try body()
    } catch {
      throw error.locating(at: CodingPath.render(codingPath, key))
    }
  }

  /// A reader over `field`'s value, after checking its wire type.
  private func reader(_ field: FieldEntry, _ wireType: WireType, _ key: Key) throws -> WireReader {
    guard field.wireType == wireType else {
      throw WireFormatError.wrongWireType(
        field: field.number, expected: wireType, found: field.wireType,
        path: CodingPath.render(codingPath, key))
    }
    return WireReader(engine.bytes, from: field.value.lowerBound, to: field.value.upperBound)
  }

  // Inlined so each caller gets `I(exactly:)` for its concrete type: the generic (or
  // merged) version converts through witness tables and costs more than the read.
  @inline(__always)
  private func signed<I: FixedWidthInteger & SignedInteger>(_ field: FieldEntry, _ key: Key) throws -> I {
    var reader = try reader(field, .varint, key)
    return try located(key) { () throws(WireFormatError) in
      try ScalarDecoding.signed(reader.readVarint(), as: I.self)
    }
  }

  // Inlined so each caller gets `I(exactly:)` for its concrete type: the generic (or
  // merged) version converts through witness tables and costs more than the read.
  @inline(__always)
  private func unsigned<I: FixedWidthInteger & UnsignedInteger>(_ field: FieldEntry, _ key: Key) throws -> I {
    var reader = try reader(field, .varint, key)
    return try located(key) { () throws(WireFormatError) in
      try ScalarDecoding.unsigned(reader.readVarint(), as: I.self)
    }
  }

  private func bool(_ field: FieldEntry, _ key: Key) throws -> Bool {
    var reader = try reader(field, .varint, key)
    return try located(key) { () throws(WireFormatError) in try ScalarDecoding.bool(reader.readVarint()) }
  }

  private func string(_ field: FieldEntry, _ key: Key) throws -> String {
    _ = try reader(field, .lengthDelimited, key)
    return try located(key) { () throws(WireFormatError) in
      try ScalarDecoding.string(engine.bytes, field.value)
    }
  }

  private func double(_ field: FieldEntry, _ key: Key) throws -> Double {
    var reader = try reader(field, .fixed64, key)
    return try located(key) { () throws(WireFormatError) in Double(bitPattern: try reader.readFixed64()) }
  }

  private func float(_ field: FieldEntry, _ key: Key) throws -> Float {
    var reader = try reader(field, .fixed32, key)
    return try located(key) { () throws(WireFormatError) in Float(bitPattern: try reader.readFixed32()) }
  }

  // MARK: Absence

  func decodeNil(forKey key: Key) throws -> Bool {
    try find(key) == nil
  }

  // MARK: Required scalars

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try bool(require(key), key) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(require(key), key) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try double(require(key), key) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try float(require(key), key) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try signed(require(key), key) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try signed(require(key), key) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try signed(require(key), key) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try signed(require(key), key) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try signed(require(key), key) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try unsigned(require(key), key) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try unsigned(require(key), key) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try unsigned(require(key), key) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try unsigned(require(key), key) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try unsigned(require(key), key) }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try nested(T.self, require(key), key)
  }

  /// Reads `Data`, `Date` and `UUID` fields straight from the index; anything else one level deeper.
  @inline(__always)
  private func nested<T: Decodable>(_ type: T.Type, _ field: FieldEntry, _ key: Key) throws -> T {
    if DecodingEngine.decodesDirectly(T.self) {
      return try located(key) { () throws(WireFormatError) in
        try engine.decodeFieldDirectly(T.self, field)
      }
    }
    return try deeper(T.self, field, key)
  }

  // MARK: Optional scalars

  func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
    try find(key).map { try bool($0, key) }
  }

  func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
    try find(key).map { try string($0, key) }
  }

  func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
    try find(key).map { try double($0, key) }
  }

  func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
    try find(key).map { try float($0, key) }
  }

  func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
    try find(key).map { try signed($0, key) }
  }

  func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
    try find(key).map { try signed($0, key) }
  }

  func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
    try find(key).map { try signed($0, key) }
  }

  func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
    try find(key).map { try signed($0, key) }
  }

  func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
    try find(key).map { try signed($0, key) }
  }

  func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
    try find(key).map { try unsigned($0, key) }
  }

  func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
    try find(key).map { try unsigned($0, key) }
  }

  func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
    try find(key).map { try unsigned($0, key) }
  }

  func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
    try find(key).map { try unsigned($0, key) }
  }

  func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
    try find(key).map { try unsigned($0, key) }
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    try find(key).map { try nested(T.self, $0, key) }
  }

  // MARK: Nested values

  private func deeper<T: Decodable>(_ type: T.Type, _ field: FieldEntry, _ key: Key) throws -> T {
    let saved = engine.enterPath(nestedPath, key)
    defer { engine.leavePath(saved) }
    return try engine.decodeField(T.self, field)
  }

  func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type, forKey key: Key
  ) throws -> KeyedDecodingContainer<NestedKey> {
    let field = try require(key)
    _ = try reader(field, .lengthDelimited, key)
    let run = try located(key) { () throws(WireFormatError) in try engine.indexFields(field.value) }
    return KeyedDecodingContainer(
      MessageDecodingContainer<NestedKey>(engine: engine, run: run, nestedPath: codingPath + [key]))
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    let field = try require(key)
    _ = try reader(field, .lengthDelimited, key)
    return ArrayDecodingContainer(engine: engine, payload: field.value, nestedPath: codingPath + [key])
  }

  func superDecoder() throws -> any Decoder {
    throw DecodingEngine.unsupportedSuperDecoder(path: CodingPath.render(codingPath))
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    throw DecodingEngine.unsupportedSuperDecoder(path: CodingPath.render(codingPath, key))
  }
}
