internal import Foundation

/// Appends wire-format primitives to one growable byte array.
///
/// Both the Codable encoder and the JSON transcoder write through this type, which is what keeps
/// their output byte-identical. Nested length-delimited values are written in place: reserve one
/// length byte, write the payload, then patch the length, shifting the payload only when the
/// length needs more than one varint byte (payloads of 128 bytes or more).
package struct WireWriter {
  package var bytes: [UInt8]

  package init(bytes: [UInt8] = []) {
    self.bytes = bytes
  }

  @inline(__always)
  package mutating func writeVarint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(truncatingIfNeeded: value))
  }

  @inline(__always)
  package mutating func writeZigZag(_ value: Int64) {
    writeVarint(Varint.zigZag(value))
  }

  mutating func writeFixed32(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func writeFixed64(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// Writes a key for a numbered field; `number` must already be validated (1...2^29-1).
  @inline(__always)
  package mutating func writeKey(number: Int, _ wireType: WireType) {
    writeVarint(UInt64(number) << 3 | UInt64(wireType.rawValue))
  }

  /// Writes a key for a named field: field number 0, then the name as a length-delimited string.
  mutating func writeKey(name: String, _ wireType: WireType) {
    writeVarint(UInt64(wireType.rawValue))
    writeString(name)
  }

  mutating func writeKey(_ key: FieldKey, _ wireType: WireType) {
    switch key {
    case .number(let number): writeKey(number: number, wireType)
    case .name(let name): writeKey(name: name, wireType)
    }
  }

  /// Writes a length-prefixed UTF-8 string.
  @inline(__always)
  package mutating func writeString(_ string: String) {
    let utf8 = string.utf8
    writeVarint(UInt64(utf8.count))
    // Native strings are contiguous UTF-8: one bulk copy instead of the generic sequence path.
    let copied: Void? = utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
    if copied == nil {
      bytes.append(contentsOf: utf8)
    }
  }

  /// Writes a length-prefixed `Data` with one bulk copy (the generic path below copies
  /// through `Data`'s iterator).
  mutating func writeLengthPrefixed(_ payload: Data) {
    writeVarint(UInt64(payload.count))
    payload.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Writes a length-prefixed run of raw bytes.
  mutating func writeLengthPrefixed(_ payload: some Collection<UInt8>) {
    writeVarint(UInt64(payload.count))
    bytes.append(contentsOf: payload)
  }

  /// Reserves one length byte for a payload about to be written; returns its position for `patchLength(at:)`.
  @inline(__always)
  package mutating func reserveLength() -> Int {
    bytes.append(0)
    return bytes.count - 1
  }

  /// Writes the length of everything after `position` into the reserved byte at `position`.
  ///
  /// Costs a shift of the payload when it is 128 bytes or longer (the length needs a second
  /// varint byte); payloads shorter than that are patched in place.
  package mutating func patchLength(at position: Int) {
    let length = bytes.count - position - 1
    if length < 0x80 {
      bytes[position] = UInt8(truncatingIfNeeded: length)
      return
    }
    var value = UInt64(length)
    let size = Varint.encodedLength(value)
    bytes.insert(contentsOf: repeatElement(0, count: size - 1), at: position + 1)
    var index = position
    while value >= 0x80 {
      bytes[index] = UInt8(truncatingIfNeeded: value) | 0x80
      value >>= 7
      index += 1
    }
    bytes[index] = UInt8(truncatingIfNeeded: value)
  }
}
