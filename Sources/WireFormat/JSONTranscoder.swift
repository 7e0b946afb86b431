public import Foundation

/// Converts between JSON and the wire format using a ``SchemaSet``, for clients that call
/// methods they were not compiled against (JSON in, JSON out).
///
/// The JSON form of a message is an object keyed by the Swift property names. Bytes are base64
/// strings, timestamps RFC 3339 strings in UTC (`2026-11-23T12:00:00.123456Z`, fraction only when
/// not zero; input may omit the fraction or carry an offset), enums their case names, UUIDs the
/// usual upper-case string, maps objects (integer keys as decimal strings), and `NaN`,
/// `Infinity` and `-Infinity` strings for non-finite floats. Integers are exact to 64 bits.
///
/// ``encode(json:as:)`` produces exactly the bytes ``BinaryEncoder`` produces for the same value
/// (fields in schema order, which is declaration order; maps sorted by key). ``decode(_:as:)``
/// writes fields in schema order, leaves absent optionals out and sorts map keys, so its output
/// is deterministic.
public struct JSONTranscoder: Sendable {
  public let schema: SchemaSet
  /// Bounds on nesting and element counts, applied in both directions.
  public let limits: BinaryDecoder.Limits
  /// Field positions by JSON name, per message.
  let fieldIndex: [String: [String: Int]]

  public init(schema: SchemaSet, limits: BinaryDecoder.Limits = .default) {
    self.schema = schema
    self.limits = limits
    self.fieldIndex = schema.messages.mapValues { message in
      Dictionary(message.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
  }

  /// Encodes a JSON object as the message `messageName`.
  ///
  /// Members may come in any order; a member given twice keeps its last value; `null` is the
  /// same as leaving an optional field out.
  ///
  /// - Throws: `WireFormatError` naming the field path: `invalidJSON`, `unknownType` (no such
  ///   message), `unknownField`, `typeMismatch` (wrong JSON type), `valueOutOfRange`,
  ///   `invalidValue` (bad base64, UUID, timestamp or enum case name), `missingRequiredField`.
  public func encode(json: Data, as messageName: String) throws(WireFormatError) -> [UInt8] {
    let value = try JSONParser.parse(Array(json))
    guard let message = schema.messages[messageName] else {
      throw .unknownType(messageName)
    }
    var encoder = JSONToWire(transcoder: self)
    try encoder.writeFields(of: message, from: value, depth: 1)
    return encoder.writer.bytes
  }

  /// Decodes the message `messageName` into compact JSON.
  ///
  /// Fields the schema does not know are skipped, as ``BinaryDecoder`` does.
  ///
  /// - Throws: `WireFormatError` naming the field path, with the same codes as ``BinaryDecoder``
  ///   (plus `unknownType` for a name the schema does not have).
  public func decode(_ bytes: [UInt8], as messageName: String) throws(WireFormatError) -> Data {
    guard let message = schema.messages[messageName] else {
      throw .unknownType(messageName)
    }
    var decoder = WireToJSON(transcoder: self, bytes: bytes[...])
    let value = try decoder.readFields(of: message, in: bytes.startIndex..<bytes.endIndex, depth: 1)
    var output: [UInt8] = []
    value.write(to: &output)
    return Data(output)
  }
}
