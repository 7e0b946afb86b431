import Foundation
import WireFormat

/// A UTC calendar day, written `YYYY-MM-DD`: the unit of export ranges and of the CSV's rows.
///
/// Counted as days since 1970-01-01 with the proleptic Gregorian arithmetic of the wire format's
/// RFC 3339 timestamps (``RFC3339``: no time zone database, no `Calendar`).
struct ExportDay: Comparable, Hashable, Sendable {
  /// Days since 1970-01-01.
  let number: Int64

  init(number: Int64) {
    self.number = number
  }

  /// The day that contains `date`, in UTC.
  init(containing date: Date) {
    number = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
  }

  /// Parses exactly `YYYY-MM-DD` naming a real day of years 0001 to 9999; nil otherwise.
  init?(_ text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    func number(_ range: Range<Int>) -> Int64? {
      var value: Int64 = 0
      for byte in bytes[range] {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), year >= 1,
      (1...12).contains(month), day >= 1, day <= RFC3339.daysIn(month: month, year: year)
    else { return nil }
    self.number = RFC3339.days(fromCivil: year, month, day)
  }

  /// `YYYY-MM-DD`.
  var text: String {
    let (year, month, day) = RFC3339.civil(fromDays: number)
    func pad(_ value: Int64, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
  }

  /// Midnight UTC at the start of the day.
  var start: Date {
    Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
  }

  static func < (lhs: ExportDay, rhs: ExportDay) -> Bool { lhs.number < rhs.number }

  static func + (day: ExportDay, days: Int64) -> ExportDay { ExportDay(number: day.number + days) }
}
