/// RFC 3339 timestamps to and from microseconds since 1970-01-01T00:00:00Z, with proleptic
/// Gregorian calendar arithmetic (no Foundation formatter, no time zone database, no rounding
/// through `Double`). The calendar arithmetic is `package`: export days use it too.
package enum RFC3339 {
  private static let microsPerSecond: Int64 = 1_000_000
  private static let secondsPerDay: Int64 = 86_400

  /// `2026-11-23T12:00:00Z`, or with six fraction digits when the microseconds are not zero:
  /// `2026-11-23T12:00:00.123456Z`. Always UTC.
  ///
  /// - Throws: `valueOutOfRange` outside years 0000...9999, which RFC 3339 cannot write.
  static func format(micros: Int64) throws(WireFormatError) -> String {
    let (seconds, fraction) = floorDivision(micros, microsPerSecond)
    let (days, secondOfDay) = floorDivision(seconds, secondsPerDay)
    let (year, month, day) = civil(fromDays: days)
    guard (0...9999).contains(year) else {
      throw .valueOutOfRange(type: "an RFC 3339 timestamp", value: "\(micros) µs since 1970")
    }
    var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
    text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
    if fraction != 0 {
      text += "." + pad(fraction, 6)
    }
    return text + "Z"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t` and `z` may be lower case. A
  /// fraction longer than six digits is rounded to the nearest microsecond.
  ///
  /// - Throws: `invalidValue` naming what is wrong (leap seconds are rejected).
  static func parse(_ text: String) throws(WireFormatError) -> Int64 {
    var scanner = Scanner(Array(text.utf8))
    func invalid(_ reason: String) -> WireFormatError {
      .invalidValue("'\(text)' is not an RFC 3339 timestamp: \(reason)")
    }
    guard let year = scanner.number(digits: 4), scanner.skip("-"),
      let month = scanner.number(digits: 2), scanner.skip("-"),
      let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t"),
      let hour = scanner.number(digits: 2), scanner.skip(":"),
      let minute = scanner.number(digits: 2), scanner.skip(":"),
      let second = scanner.number(digits: 2)
    else {
      throw invalid("expected YYYY-MM-DDTHH:MM:SS")
    }
    guard (1...12).contains(month) else { throw invalid("month \(month)") }
    guard (1...daysIn(month: month, year: year)).contains(day) else { throw invalid("day \(day)") }
    guard hour < 24, minute < 60 else { throw invalid("time of day") }
    guard second < 60 else { throw invalid("second \(second) (leap seconds are not supported)") }
    var fraction: Int64 = 0
    if scanner.skip(".") {
      guard let (micros, roundUp) = scanner.fraction() else { throw invalid("expected digits after '.'") }
      fraction = micros + (roundUp ? 1 : 0)
    }
    var offset: Int64 = 0
    if scanner.skip("Z") || scanner.skip("z") {
      offset = 0
    } else if let sign = scanner.sign() {
      guard let hours = scanner.number(digits: 2), scanner.skip(":"), let minutes = scanner.number(digits: 2),
        hours < 24, minutes < 60
      else {
        throw invalid("expected an offset ±HH:MM")
      }
      offset = sign * (hours * 3600 + minutes * 60)
    } else {
      throw invalid("expected 'Z' or an offset ±HH:MM")
    }
    guard scanner.isAtEnd else { throw invalid("unexpected text at the end") }
    let days = self.days(fromCivil: year, month, day)
    let seconds = days * secondsPerDay + hour * 3600 + minute * 60 + second - offset
    return seconds * microsPerSecond + fraction
  }

  // MARK: Calendar arithmetic (Howard Hinnant's days_from_civil / civil_from_days)

  /// Days since 1970-01-01 of a proleptic Gregorian date.
  package static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date of a day number (days since 1970-01-01).
  package static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// The days in `month` (1...12) of `year`.
  package static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let quotient = value / divisor
    let remainder = value % divisor
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// Reads the fixed-width fields of a timestamp.
  private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
      self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
      guard position < bytes.count, let ascii = character.asciiValue, bytes[position] == ascii else {
        return false
      }
      position += 1
      return true
    }

    mutating func number(digits count: Int) -> Int64? {
      guard bytes.count - position >= count else { return nil }
      var value: Int64 = 0
      for byte in bytes[position..<position + count] {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      }
      position += count
      return value
    }

    mutating func sign() -> Int64? {
      if skip("+") { return 1 }
      if skip("-") { return -1 }
      return nil
    }

    /// The first six fraction digits as microseconds, and whether the rest rounds them up.
    mutating func fraction() -> (Int64, Bool)? {
      var micros: Int64 = 0
      var count = 0
      var roundUp = false
      while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
        let digit = Int64(bytes[position] - UInt8(ascii: "0"))
        if count < 6 {
          micros = micros * 10 + digit
        } else if count == 6 {
          roundUp = digit >= 5
        }
        count += 1
        position += 1
      }
      guard count > 0 else { return nil }
      for _ in min(count, 6)..<6 {
        micros *= 10
      }
      return (micros, roundUp)
    }
  }
}
