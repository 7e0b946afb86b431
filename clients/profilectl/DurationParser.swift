/// Reads the `--timeout` values: `500ms`, `5s`, `2m`, or a plain number of seconds; decimals
/// such as `1.5s` are accepted.
enum DurationParser {
  /// The longest timeout accepted, so that no value overflows a deadline.
  static let maximum: Duration = .seconds(24 * 60 * 60)

  /// The duration `text` names, or `nil` when it is malformed, not positive, or over a day.
  static func duration(from text: String) -> Duration? {
    let units: [(suffix: String, microseconds: Double)] = [
      ("ms", 1_000), ("s", 1_000_000), ("m", 60_000_000),
    ]
    var number = Substring(text)
    var scale = 1_000_000.0
    for unit in units where text.hasSuffix(unit.suffix) {
      number = text.dropLast(unit.suffix.count)
      scale = unit.microseconds
      break
    }
    // Digits with at most one point: Double(_:) alone would also take "inf", "1e3" and "0x10".
    guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
      number.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }),
      let value = Double(number)
    else { return nil }
    let microseconds = value * scale
    guard microseconds >= 1, microseconds <= Double(maximum.components.seconds) * 1_000_000 else {
      return nil
    }
    return .microseconds(Int64(microseconds))
  }
}
