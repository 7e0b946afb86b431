/// A dictionary the decoder reads as a map, instead of through `Dictionary`'s own `Decodable`
/// conformance; also how schema extraction recognises maps.
///
/// Only `Dictionary` conforms, when its key is a ``WireMapKey``.
protocol DecodableWireMap {
  /// Reads the entries in `payload`; a key that occurs twice keeps its last value.
  ///
  /// - Throws: `containerLimitExceeded` past `engine.limits.maxContainerCount` entries, or any
  ///   error of decoding a key or value.
  static func decodeWireMap(from engine: DecodingEngine, payload: Range<Int>) throws -> Self

  /// The schema type of the keys.
  static var keySchemaType: FieldType { get }

  /// The type of the values, for schema extraction.
  static var valueType: any Decodable.Type { get }

  /// An empty map, which schema extraction returns in place of a decoded one.
  static var empty: Self { get }
}
