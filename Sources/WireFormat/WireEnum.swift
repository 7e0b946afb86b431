/// An enum that crosses the wire as its raw value and that schema extraction can describe.
///
/// Conform raw-value enums to this instead of plain `Codable`:
///
/// ```swift
/// enum Status: Int, WireEnum { case active = 1, suspended = 2 }
/// enum Plan: String, WireEnum { case free, pro }
/// ```
///
/// The encoding is the raw value (an `Int` as a zig-zag varint, a `String` as a string). Decoding
/// a raw value that names no case fails with ``WireFormatError/Code-swift.struct/unknownEnumValue``
/// naming the field, rather than the generic `DecodingError` of `RawRepresentable`. Schema
/// extraction lists `allCases`, naming each case with `String(describing:)`; the raw value type
/// must be `String` or a fixed-width integer type.
public protocol WireEnum: CaseIterable, RawRepresentable, Codable, Sendable
where RawValue: Codable & Sendable {}
