/// Unpadded standard Base64 (RFC 4648 §4 alphabet, no `=`), the "B64" of the PHC string format that
/// password hash strings use.
enum Base64 {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Base64 of `bytes` without padding.
  static func encode(_ bytes: [UInt8]) -> String {
    var text: [UInt8] = []
    text.reserveCapacity((bytes.count * 4 + 2) / 3)
    var index = 0
    while index < bytes.count {
      let count = min(3, bytes.count - index)
      var group: UInt32 = 0
      for offset in 0..<3 {
        group = group << 8 | UInt32(offset < count ? bytes[index + offset] : 0)
      }
      for position in 0...count {
        text.append(alphabet[Int(group >> UInt32(18 - 6 * position) & 0x3F)])
      }
      index += count
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The bytes unpadded Base64 `text` encodes.
  ///
  /// - Throws: ``CryptoError/Code/invalidEncoding`` for padding or any character outside the alphabet,
  ///   a length no byte string encodes to, or non-zero unused bits (so each value has one encoding).
  static func decode(_ text: Substring) throws -> [UInt8] {
    let characters = Array(text.utf8)
    guard characters.count % 4 != 1 else {
      throw CryptoError(.invalidEncoding, "Base64 text of \(characters.count) characters encodes no bytes")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(characters.count * 3 / 4)
    var buffer: UInt32 = 0
    var bitCount = 0
    for (offset, character) in characters.enumerated() {
      guard let value = value(of: character) else {
        throw CryptoError(.invalidEncoding, "invalid Base64 character at offset \(offset)")
      }
      buffer = buffer << 6 | UInt32(value)
      bitCount += 6
      if bitCount >= 8 {
        bitCount -= 8
        bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
        buffer &= (1 << UInt32(bitCount)) - 1
      }
    }
    guard buffer == 0 else {
      throw CryptoError(.invalidEncoding, "Base64 text has non-zero unused bits in its last character")
    }
    return bytes
  }

  private static func value(of character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): 62
    case UInt8(ascii: "/"): 63
    default: nil
    }
  }
}
