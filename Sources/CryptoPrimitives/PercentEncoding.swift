/// Percent-encoding (RFC 3986 §2.1) for text placed in a URI path segment or query value.
enum PercentEncoding {
  private static let hexDigits = Array("0123456789ABCDEF".utf8)

  /// `text` with every UTF-8 byte outside the unreserved set (`A–Z a–z 0–9 - . _ ~`) written as `%XX`.
  ///
  /// Encoding everything else (spaces as `%20`, never `+`) keeps the result safe in any URI component.
  static func encode(_ text: String) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      if isUnreserved(byte) {
        output.append(byte)
      } else {
        output.append(UInt8(ascii: "%"))
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      true
    default:
      false
    }
  }
}
