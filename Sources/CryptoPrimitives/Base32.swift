/// Base32 text (RFC 4648 §6, the `A–Z 2–7` alphabet), the form TOTP secrets take in authenticator apps.
public enum Base32 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  /// Unpadded uppercase Base32 of `bytes`, as `otpauth://` URIs expect.
  public static func encode(_ bytes: some Collection<UInt8>) -> String {
    var text: [UInt8] = []
    text.reserveCapacity((bytes.count * 8 + 4) / 5)
    var buffer: UInt32 = 0
    var bitCount = 0
    for byte in bytes {
      buffer = buffer << 8 | UInt32(byte)
      bitCount += 8
      while bitCount >= 5 {
        bitCount -= 5
        text.append(alphabet[Int(buffer >> UInt32(bitCount) & 0x1F)])
      }
      buffer &= (1 << UInt32(bitCount)) - 1
    }
    if bitCount > 0 {
      text.append(alphabet[Int(buffer << UInt32(5 - bitCount) & 0x1F)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The bytes that Base32 `text` encodes.
  ///
  /// Letters may be either case. Padding is optional, but when present it must be complete (the text a
  /// multiple of 8 characters) and only at the end. Whitespace is not skipped: strip it first.
  /// - Throws: ``CryptoError/Code/invalidEncoding`` for a character outside the alphabet, misplaced or
  ///   wrong padding, a length no byte string encodes to (1, 3 or 6 characters in the last group), or
  ///   non-zero unused bits in the last character (so every byte string has exactly one encoding).
  public static func decode(_ text: String) throws -> [UInt8] {
    let characters = Array(text.utf8)
    let padded = characters.firstIndex(of: UInt8(ascii: "=")) ?? characters.endIndex
    let body = characters[..<padded]
    let padding = characters[padded...]

    guard padding.allSatisfy({ $0 == UInt8(ascii: "=") }) else {
      throw CryptoError(.invalidEncoding, "Base32 padding is only allowed at the end")
    }
    let remainder = body.count % 8
    guard [0, 2, 4, 5, 7].contains(remainder) else {
      throw CryptoError(.invalidEncoding, "Base32 text of \(body.count) characters encodes no bytes")
    }
    if !padding.isEmpty {
      let expected = remainder == 0 ? 0 : 8 - remainder
      guard padding.count == expected else {
        throw CryptoError(
          .invalidEncoding, "Base32 padding of \(padding.count) characters, expected \(expected)")
      }
    }

    var bytes: [UInt8] = []
    bytes.reserveCapacity(body.count * 5 / 8)
    var buffer: UInt32 = 0
    var bitCount = 0
    for (offset, character) in body.enumerated() {
      guard let value = value(of: character) else {
        throw CryptoError(.invalidEncoding, "invalid Base32 character at offset \(offset)")
      }
      buffer = buffer << 5 | UInt32(value)
      bitCount += 5
      if bitCount >= 8 {
        bitCount -= 8
        bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
        buffer &= (1 << UInt32(bitCount)) - 1
      }
    }
    guard buffer == 0 else {
      throw CryptoError(.invalidEncoding, "Base32 text has non-zero unused bits in its last character")
    }
    return bytes
  }

  private static func value(of character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a")
    case UInt8(ascii: "2")...UInt8(ascii: "7"): character - UInt8(ascii: "2") + 26
    default: nil
    }
  }
}
