public import Foundation

extension Data: DatabaseValueConvertible {
  public var databaseValue: DatabaseValue { .blob(self) }

  /// Accepts blobs, and text as its UTF-8 bytes.
  public init?(databaseValue: DatabaseValue) {
    switch databaseValue {
    case .blob(let value): self = value
    case .text(let value): self = Data(value.utf8)
    default: return nil
    }
  }
}

extension Date: DatabaseValueConvertible {
  /// Stored as integer microseconds since 1970-01-01 00:00:00 UTC, rounded to the nearest
  /// microsecond; dates beyond the range of `Int64` microseconds (about ±292,000 years) clamp to it.
  public var databaseValue: DatabaseValue {
    let microseconds = (timeIntervalSince1970 * 1_000_000).rounded()
    if let exact = Int64(exactly: microseconds) {
      return .integer(exact)
    }
    return .integer(microseconds > 0 ? .max : .min)
  }

  /// Accepts integer microseconds since 1970 (what ``databaseValue`` writes).
  public init?(databaseValue: DatabaseValue) {
    guard case .integer(let microseconds) = databaseValue else { return nil }
    // Split to keep full precision: a Double holds whole seconds exactly.
    let (seconds, remainder) = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
    self.init(timeIntervalSince1970: Double(seconds) + Double(remainder) / 1_000_000)
  }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
  public var databaseValue: DatabaseValue { Data(self).databaseValue }

  /// Accepts blobs, and text as its UTF-8 bytes.
  public init?(databaseValue: DatabaseValue) {
    guard let data = Data(databaseValue: databaseValue) else { return nil }
    self = Array(data)
  }
}
