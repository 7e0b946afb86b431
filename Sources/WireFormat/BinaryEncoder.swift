/// Encodes any `Encodable` value in the profiled wire format (see `proto/WIRE.md`).
///
/// A message (a type that uses a keyed container) becomes its fields, each a key and a value;
/// field numbers come from `CodingKey.intValue`, and keys without one are written by name.
/// The encoding is deterministic: equal values give equal bytes (dictionaries are written
/// sorted by key; `Set`s are written in iteration order, which is not stable across processes).
///
/// The encoder is a value with no state; one instance can be shared freely.
///
/// ```swift
/// let bytes = try BinaryEncoder().encode(request)
/// ```
public struct BinaryEncoder: Sendable {
  public init() {}

  /// Encodes `value` into a new array.
  ///
  /// - Throws: `WireFormatError` for field numbers outside 1...2^29-1, `nil` array elements,
  ///   dates beyond ±292,000 years, `superEncoder()`, and errors thrown by the value's own
  ///   `encode(to:)` (wrapped, code `invalidValue`).
  public func encode<T: Encodable>(_ value: T) throws(WireFormatError) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(128)
    try encode(value, appendingTo: &bytes)
    return bytes
  }

  /// Appends the encoding of `value` to `buffer`, so a framer can write it after a frame header
  /// without a copy.
  ///
  /// Payload lengths of nested messages are patched inside `buffer`; positions before its
  /// original end are never touched. On error `buffer` is left as it was.
  public func encode<T: Encodable>(
    _ value: T, appendingTo buffer: inout [UInt8]
  ) throws(WireFormatError) {
    let engine = EncodingEngine()
    let start = buffer.count
    swap(&engine.writer.bytes, &buffer)
    defer { swap(&engine.writer.bytes, &buffer) }
    do {
      try engine.encodeValue(value, in: .topLevel)
    } catch {
      engine.writer.bytes.removeSubrange(start...)
      throw WireFormatError.wrapping(error, path: "")
    }
  }
}
