/// Lays out JSON text, pretty or compact, without parsing it into values.
///
/// Working on the text keeps every number and string exactly as the transcoder wrote it (a
/// round trip through `JSONSerialization` would turn large integers into doubles) and keeps
/// the transcoder's field order, so output is stable for a given response.
enum JSONFormatter {
  /// Two-space indentation, one member or element per line, `"key": value`; empty objects
  /// and arrays stay `{}` and `[]`.
  static func pretty(_ json: String) -> String {
    let bytes = Array(json.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count * 2)
    var depth = 0
    func newline() {
      output.append(UInt8(ascii: "\n"))
      output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        let end = JSONSplitter.endOfString(bytes, from: index, to: bytes.count) ?? bytes.count
        output.append(contentsOf: bytes[index..<end])
        index = end
        continue
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        output.append(byte)
        var next = index + 1
        while next < bytes.count, JSONSplitter.isSpace(bytes[next]) { next += 1 }
        if next < bytes.count, bytes[next] == UInt8(ascii: "}") || bytes[next] == UInt8(ascii: "]") {
          output.append(bytes[next])
          index = next + 1
          continue
        }
        depth += 1
        newline()
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth = max(0, depth - 1)
        newline()
        output.append(byte)
      case UInt8(ascii: ","):
        output.append(byte)
        newline()
      case UInt8(ascii: ":"):
        output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
      case _ where JSONSplitter.isSpace(byte):
        break
      default:
        output.append(byte)
      }
      index += 1
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The text with every white space outside strings removed: one line.
  static func compact(_ json: String) -> String {
    let bytes = Array(json.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let end = JSONSplitter.endOfString(bytes, from: index, to: bytes.count) ?? bytes.count
        output.append(contentsOf: bytes[index..<end])
        index = end
        continue
      }
      if !JSONSplitter.isSpace(byte) { output.append(byte) }
      index += 1
    }
    return String(decoding: output, as: UTF8.self)
  }
}
