import Foundation

/// A UTC calendar day, written `YYYY-MM-DD`: the unit of export ranges and of the CSV's rows.
///
/// Counted as days since 1970-01-01 with proleptic Gregorian arithmetic (no time zone database,
/// no `Calendar`), like the wire format's RFC 3339 timestamps.
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
      (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year)
    else { return nil }
    self.number = Self.days(year: year, month: month, day: day)
  }

  /// `YYYY-MM-DD`.
  var text: String {
    let (year, month, day) = Self.civil(number)
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

  private static func isLeap(_ year: Int64) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
  private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil date of a day number (`civil_from_days`).
  private static func civil(_ number: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = number + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
