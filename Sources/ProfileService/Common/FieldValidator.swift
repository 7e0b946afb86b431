public import RPC

/// Collects one violation per bad request field, then throws them together as
/// `INVALID_ARGUMENT`, so a caller learns every problem at once and nothing is written.
public struct FieldValidator: Sendable {
  public private(set) var violations: [ErrorDetails.FieldViolation] = []

  public init() {}

  public mutating func fail(_ field: String, _ description: String) {
    guard !violations.contains(where: { $0.field == field }) else { return }
    violations.append(ErrorDetails.FieldViolation(field: field, description: description))
  }

  /// Requires `value` to have `range` characters, no control characters, and not be only spaces.
  public mutating func text(_ field: String, _ value: String, length range: ClosedRange<Int>) {
    if let problem = Self.textProblem(value, length: range) { fail(field, problem) }
  }

  /// What ``text(_:_:length:)`` finds wrong with `value`, if anything.
  ///
  /// Printable ASCII, what nearly every name is, is checked on its bytes: one character per
  /// byte, no control or format character, blank only when every byte is a space. The answer is
  /// the same as ``unicodeTextProblem(_:length:)``'s, without a Unicode property lookup per
  /// scalar and two grapheme counts.
  static func textProblem(_ value: String, length range: ClosedRange<Int>) -> String? {
    let bytes = value.utf8
    guard bytes.allSatisfy({ 0x20 ..< 0x7F ~= $0 }) else { return unicodeTextProblem(value, length: range) }
    if !range.contains(bytes.count) { return lengthProblem(range) }
    return range.lowerBound > 0 && bytes.allSatisfy({ $0 == 0x20 }) ? blankProblem : nil
  }

  /// ``textProblem(_:length:)`` for any text: counts characters, looks up each scalar's category.
  ///
  /// A character may join any number of scalars ("a" and two million combining accents is one),
  /// so the UTF-8 size is bounded too, before anything is counted: at most
  /// ``maximumBytesPerCharacter`` per character of the upper bound.
  static func unicodeTextProblem(_ value: String, length range: ClosedRange<Int>) -> String? {
    if value.utf8.count > maximumBytes(forCharacters: range.upperBound) {
      return "\(lengthProblem(range)) and at most \(maximumBytes(forCharacters: range.upperBound)) bytes in UTF-8"
    }
    if !range.contains(value.count) { return lengthProblem(range) }
    let hasControl = value.unicodeScalars.contains { scalar in
      let category = scalar.properties.generalCategory
      return category == .control || category == .format && scalar != "\u{200D}"
    }
    if hasControl { return "must not contain control characters" }
    return range.lowerBound > 0 && value.allSatisfy(\.isWhitespace) ? blankProblem : nil
  }

  /// The UTF-8 bytes a text limited to some characters may take per character: the widest
  /// single scalar, so CJK names and most emoji fit while stacks of combining marks do not.
  public static let maximumBytesPerCharacter = 4

  /// The UTF-8 size allowed for a text of at most `characters` characters.
  public static func maximumBytes(forCharacters characters: Int) -> Int {
    characters.multipliedReportingOverflow(by: maximumBytesPerCharacter).overflow
      ? Int.max : characters * maximumBytesPerCharacter
  }

  private static func lengthProblem(_ range: ClosedRange<Int>) -> String {
    "must have \(range.lowerBound) to \(range.upperBound) characters"
  }

  private static let blankProblem = "must not be blank"

  /// Like ``text(_:_:length:)`` for an optional field; nil passes.
  public mutating func optionalText(_ field: String, _ value: String?, length range: ClosedRange<Int>) {
    if let value { text(field, value, length: range) }
  }

  public mutating func email(_ field: String, _ value: String) {
    if !Self.isEmail(value) { fail(field, "must be an email address such as name@example.com") }
  }

  public mutating func integer<T: BinaryInteger>(_ field: String, _ value: T, in range: ClosedRange<T>) {
    if !range.contains(value) { fail(field, "must be between \(range.lowerBound) and \(range.upperBound)") }
  }

  /// A violation on `from` when both bounds of a range are given and `from` comes after `to`.
  public mutating func range<T: Comparable>(from: T?, to: T?) {
    if let from, let to, from > to { fail("from", "must not be after 'to'") }
  }

  /// Throws `INVALID_ARGUMENT` with every violation, if there is any.
  public func check() throws {
    guard violations.isEmpty else { throw RPCError.invalidArgument(violations) }
  }

  /// A pragmatic address check: one `@`, a dot-separated domain with a letter TLD, no spaces or
  /// control characters, at most 254 bytes.
  public static func isEmail(_ value: String) -> Bool {
    guard value.utf8.count <= 254, !value.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
    let parts = value.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, let local = parts.first, let domain = parts.last else { return false }
    guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
    guard !local.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\"" || $0 == "(" || $0 == ")" || $0 == "," || $0 == ":" || $0 == ";" || $0 == "<" || $0 == ">" || $0 == "[" || $0 == "]" || $0 == "\\" })
    else { return false }
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2 else { return false }
    for label in labels {
      guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
        label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
      else { return false }
    }
    return labels.last!.allSatisfy(\.isLetter) && labels.last!.count >= 2
  }
}
