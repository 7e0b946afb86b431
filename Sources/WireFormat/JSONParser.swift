/// A strict RFC 8259 JSON parser producing ``JSONValue``s.
///
/// Rejects trailing commas, comments, leading zeros, lone surrogates, unescaped control
/// characters, invalid UTF-8, anything after the top-level value, and nesting deeper than
/// `maxDepth` (so hostile input cannot exhaust the stack).
struct JSONParser {
  /// How deeply arrays and objects may nest.
  static let maxDepth = 256

  private let bytes: [UInt8]
  private var position = 0
  private var depth = 0

  private init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Parses one JSON text.
  ///
  /// - Throws: `WireFormatError` with code `invalidJSON`, naming the byte offset.
  static func parse(_ bytes: [UInt8]) throws(WireFormatError) -> JSONValue {
    let valid = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
    guard valid else {
      throw .invalidJSON("the text is not valid UTF-8")
    }
    var parser = JSONParser(bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue()
    parser.skipWhitespace()
    guard parser.position == bytes.count else {
      throw parser.failure("unexpected text after the top-level value")
    }
    return value
  }

  private func failure(_ reason: String) -> WireFormatError {
    .invalidJSON("\(reason) at byte \(position)")
  }

  private var current: UInt8? {
    position < bytes.count ? bytes[position] : nil
  }

  private mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      position += 1
    }
  }

  private mutating func expect(_ literal: String) throws(WireFormatError) {
    for byte in literal.utf8 {
      guard current == byte else {
        throw failure("expected '\(literal)'")
      }
      position += 1
    }
  }

  private mutating func parseValue() throws(WireFormatError) -> JSONValue {
    guard let byte = current else {
      throw failure("unexpected end of input")
    }
    switch byte {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .number(try parseNumber())
    default:
      throw failure("unexpected character")
    }
  }

  private mutating func enter() throws(WireFormatError) {
    depth += 1
    guard depth <= Self.maxDepth else {
      throw failure("nesting deeper than \(Self.maxDepth)")
    }
    position += 1
    skipWhitespace()
  }

  private mutating func parseObject() throws(WireFormatError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var members: [(key: String, value: JSONValue)] = []
    if current == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      guard current == UInt8(ascii: "\"") else {
        throw failure("expected a member name")
      }
      let key = try parseString()
      skipWhitespace()
      try expect(":")
      skipWhitespace()
      members.append((key, try parseValue()))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","):
        position += 1
        skipWhitespace()
      case UInt8(ascii: "}"):
        position += 1
        return .object(members)
      default:
        throw failure("expected ',' or '}'")
      }
    }
  }

  private mutating func parseArray() throws(WireFormatError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    var elements: [JSONValue] = []
    if current == UInt8(ascii: "]") {
      position += 1
      return .array(elements)
    }
    while true {
      elements.append(try parseValue())
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","):
        position += 1
        skipWhitespace()
      case UInt8(ascii: "]"):
        position += 1
        return .array(elements)
      default:
        throw failure("expected ',' or ']'")
      }
    }
  }

  private mutating func parseString() throws(WireFormatError) -> String {
    position += 1  // the opening quote
    var utf8: [UInt8] = []
    while true {
      guard let byte = current else {
        throw failure("unterminated string")
      }
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: utf8, as: UTF8.self)
      case UInt8(ascii: "\\"):
        try parseEscape(into: &utf8)
      case 0..<0x20:
        throw failure("unescaped control character in string")
      default:
        utf8.append(byte)
      }
    }
  }

  private mutating func parseEscape(into utf8: inout [UInt8]) throws(WireFormatError) {
    guard let byte = current else {
      throw failure("unterminated escape")
    }
    position += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
    case UInt8(ascii: "b"): utf8.append(0x08)
    case UInt8(ascii: "f"): utf8.append(0x0C)
    case UInt8(ascii: "n"): utf8.append(0x0A)
    case UInt8(ascii: "r"): utf8.append(0x0D)
    case UInt8(ascii: "t"): utf8.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = UInt32(try parseHex4())
      if (0xD800...0xDBFF).contains(scalar) {
        guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
        else {
          throw failure("lone high surrogate")
        }
        position += 2
        let low = UInt32(try parseHex4())
        guard (0xDC00...0xDFFF).contains(low) else {
          throw failure("high surrogate not followed by a low surrogate")
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        throw failure("lone low surrogate")
      }
      guard let unicode = Unicode.Scalar(scalar) else {
        throw failure("invalid \\u escape")
      }
      utf8.append(contentsOf: String(Character(unicode)).utf8)
    default:
      throw failure("invalid escape")
    }
  }

  private mutating func parseHex4() throws(WireFormatError) -> UInt16 {
    var value: UInt16 = 0
    for _ in 0..<4 {
      guard let byte = current, let digit = Self.hexValue(byte) else {
        throw failure("expected four hex digits")
      }
      value = value << 4 | UInt16(digit)
      position += 1
    }
    return value
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// Checks the number grammar `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and
  /// returns the text.
  private mutating func parseNumber() throws(WireFormatError) -> String {
    let start = position
    if current == UInt8(ascii: "-") {
      position += 1
    }
    if current == UInt8(ascii: "0") {
      position += 1
    } else {
      guard try digits() > 0 else {
        throw failure("expected a digit")
      }
    }
    if current == UInt8(ascii: ".") {
      position += 1
      guard try digits() > 0 else {
        throw failure("expected a digit after '.'")
      }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
        position += 1
      }
      guard try digits() > 0 else {
        throw failure("expected a digit in the exponent")
      }
    }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func digits() throws(WireFormatError) -> Int {
    var count = 0
    while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
      position += 1
      count += 1
    }
    return count
  }
}
