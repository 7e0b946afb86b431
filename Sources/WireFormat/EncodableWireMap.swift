/// A dictionary the encoder writes as a map, instead of through `Dictionary`'s own `Encodable`
/// conformance (which would use a keyed container).
///
/// Only `Dictionary` conforms, when its key is a ``WireMapKey``.
protocol EncodableWireMap {
  /// Writes the entries, sorted by key, as bare key then bare value, into the open payload.
  func encodeWireMap(to engine: EncodingEngine) throws
}
