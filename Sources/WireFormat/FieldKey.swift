/// The key a field is written under: a field number, or a name when the `CodingKey` has no `intValue`.
enum FieldKey: Sendable {
  case number(Int)
  case name(String)

  /// The field number the key carries, or nil for a named field (used in error messages).
  var number: Int? {
    if case .number(let number) = self { number } else { nil }
  }

  /// Validates `key.intValue` (1...2^29-1) or falls back to its name.
  ///
  /// - Throws: `WireFormatError` with code `invalidFieldNumber` for zero, negative or too large numbers.
  init(_ key: some CodingKey, path: @autoclosure () -> String) throws(WireFormatError) {
    guard let number = key.intValue else {
      self = .name(key.stringValue)
      return
    }
    guard number > 0, number <= Varint.maxFieldNumber else {
      throw .invalidFieldNumber(number, path: path())
    }
    self = .number(number)
  }
}
