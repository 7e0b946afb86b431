/// Byte helpers for writing test vectors the way the RFCs print them.
enum TestBytes {
  /// The bytes of a hex string; spaces are ignored so vectors can be pasted as printed.
  static func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
    precondition(digits.count % 2 == 0, "odd number of hex digits in a test vector")
    return stride(from: 0, to: digits.count, by: 2).map { index in
      UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
    }
  }

  /// The UTF-8 bytes of `text`.
  static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// Lowercase hex of `bytes`, for readable expectation failures.
  static func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }.joined()
  }
}
