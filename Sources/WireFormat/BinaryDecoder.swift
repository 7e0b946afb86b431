/// Decodes any `Decodable` value from the profiled wire format (see `proto/WIRE.md`).
///
/// Readers accept fields in any order, skip fields they do not know (so an older reader accepts
/// a newer writer's message), and keep the last occurrence of a repeated field. Decoding never
/// traps on malformed input: every failure is a ``WireFormatError`` naming where it happened.
/// Nesting depth and element counts are bounded by ``Limits``.
///
/// ```swift
/// let request = try BinaryDecoder().decode(CheckRequest.self, from: frame.payload)
/// ```
public struct BinaryDecoder: Sendable {
  /// The bounds this decoder enforces on untrusted input.
  public var limits: Limits

  public init(limits: Limits = .default) {
    self.limits = limits
  }

  /// Decodes a `T` that must fill `bytes` exactly.
  ///
  /// - Throws: `WireFormatError`; errors thrown by a type's own `init(from:)` are wrapped with
  ///   code `invalidValue` and the path where they happened.
  public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(WireFormatError) -> T {
    try decode(type, from: bytes[...])
  }

  /// Decodes a `T` that must fill `bytes` exactly; reads the slice in place, without copying it.
  public func decode<T: Decodable>(
    _ type: T.Type, from bytes: ArraySlice<UInt8>
  ) throws(WireFormatError) -> T {
    let engine = DecodingEngine(bytes: bytes, limits: limits)
    do {
      var end: Int?
      let value = try engine.decodeValue(T.self, in: .topLevel(bytes.startIndex..<bytes.endIndex), end: &end)
      if let end, end != bytes.endIndex {
        throw WireFormatError.malformedInput(
          "\(bytes.endIndex - end) bytes after the end of the top-level value")
      }
      return value
    } catch {
      throw WireFormatError.wrapping(error, path: "")
    }
  }
}
