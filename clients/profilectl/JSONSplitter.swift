/// Finds where JSON values begin and end in a text without interpreting them.
///
/// profilectl leaves reading values to the schema-aware transcoder; it only needs to know how
/// many request messages a text holds. So the splitter checks no more than strings and
/// brackets, and a malformed value it passes on is reported by the transcoder.
enum JSONSplitter {
  /// Text that cannot be split: an unterminated string, object or array, or a stray bracket.
  struct Failure: Error, Sendable, CustomStringConvertible {
    let description: String
  }

  /// The request messages in `text`: its values, written one after another with white space
  /// between them (one per line, or pretty-printed over several lines); a value that is an
  /// array stands for its elements.
  static func requests(in text: String) throws(Failure) -> [String] {
    let bytes = Array(text.utf8)
    var requests: [String] = []
    for range in try values(in: bytes, range: 0..<bytes.count) {
      if bytes[range.lowerBound] == UInt8(ascii: "[") {
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        requests.append(contentsOf: try elements(in: bytes, range: inner).map { string(bytes, $0) })
      } else {
        requests.append(string(bytes, range))
      }
    }
    return requests
  }

  /// The index just past the string that starts (with its quote) at `start`, or `nil` when
  /// the string does not end before `end`.
  static func endOfString(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
    var index = start + 1
    while index < end {
      switch bytes[index] {
      case UInt8(ascii: "\\"): index += 2
      case UInt8(ascii: "\""): return index + 1
      default: index += 1
      }
    }
    return nil
  }

  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }

  private static func values(in bytes: [UInt8], range: Range<Int>) throws(Failure) -> [Range<Int>] {
    var values: [Range<Int>] = []
    var index = range.lowerBound
    while index < range.upperBound {
      if isSpace(bytes[index]) {
        index += 1
        continue
      }
      let end = try endOfValue(bytes, from: index, to: range.upperBound)
      values.append(index..<end)
      index = end
    }
    return values
  }

  /// The comma-separated elements between an array's brackets, trimmed of white space.
  private static func elements(in bytes: [UInt8], range: Range<Int>) throws(Failure) -> [Range<Int>] {
    var pieces: [Range<Int>] = []
    var start = range.lowerBound
    var index = range.lowerBound
    while index < range.upperBound {
      switch bytes[index] {
      case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["):
        index = try endOfValue(bytes, from: index, to: range.upperBound)
        continue
      case UInt8(ascii: ","):
        pieces.append(start..<index)
        start = index + 1
      default:
        break
      }
      index += 1
    }
    pieces.append(start..<range.upperBound)
    let trimmed = pieces.map { piece -> Range<Int> in
      var lower = piece.lowerBound
      var upper = piece.upperBound
      while lower < upper, isSpace(bytes[lower]) { lower += 1 }
      while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
      return lower..<upper
    }
    if trimmed.count == 1, trimmed[0].isEmpty { return [] }
    guard trimmed.allSatisfy({ !$0.isEmpty }) else {
      throw Failure(description: "invalid JSON: an array has an empty element")
    }
    return trimmed
  }

  /// The index just past the value that starts at `start`.
  private static func endOfValue(_ bytes: [UInt8], from start: Int, to end: Int) throws(Failure) -> Int {
    let first = bytes[start]
    switch first {
    case UInt8(ascii: "\""):
      guard let after = endOfString(bytes, from: start, to: end) else {
        throw Failure(description: "invalid JSON: unterminated string")
      }
      return after
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      var index = start
      while index < end {
        switch bytes[index] {
        case UInt8(ascii: "\""):
          guard let after = endOfString(bytes, from: index, to: end) else {
            throw Failure(description: "invalid JSON: unterminated string")
          }
          index = after
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          if depth == 0 { return index + 1 }
        default:
          break
        }
        index += 1
      }
      let kind = first == UInt8(ascii: "{") ? "object" : "array"
      throw Failure(description: "invalid JSON: unterminated \(kind)")
    case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"):
      throw Failure(description: "invalid JSON: unexpected '\(Character(UnicodeScalar(first)))'")
    default:
      var index = start
      while index < end, !isSpace(bytes[index]), !isStructural(bytes[index]) { index += 1 }
      return index
    }
  }

  private static func isStructural(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "\""):
      true
    default:
      false
    }
  }

  private static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
  }
}
