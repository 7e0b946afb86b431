/// The low three bits of a field key: how the value after the key is delimited.
///
/// Wire types 3, 4, 6 and 7 are not defined; a reader that meets one reports malformed input.
package enum WireType: UInt8, Sendable {
  /// A LEB128 varint (bools, integers, enum raw integers, timestamps).
  case varint = 0
  /// Eight bytes, little-endian (`Double`).
  case fixed64 = 1
  /// A varint byte length, then that many bytes (strings, bytes, UUIDs, messages, arrays, maps).
  case lengthDelimited = 2
  /// Four bytes, little-endian (`Float`).
  case fixed32 = 5

  /// The name used in error messages and in `proto/WIRE.md`.
  var name: String {
    switch self {
    case .varint: "varint"
    case .fixed64: "fixed64"
    case .lengthDelimited: "length-delimited"
    case .fixed32: "fixed32"
    }
  }
}
