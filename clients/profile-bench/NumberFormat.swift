/// Number formatting for the report, without Foundation: fixed decimals and thousands separators.
enum NumberFormat {
  /// `value` rounded to `decimals` places, with "," between thousands: "12,345.6".
  static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return "\(value)" }
    let units = UInt64(scaled)
    let whole = units / UInt64(scale)
    var text = (value < 0 && units > 0 ? "-" : "") + grouped(whole)
    if decimals > 0 {
      let fraction = String(units % UInt64(scale))
      text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return text
  }

  /// `value` with "," between thousands: "1,234,567".
  static func grouped(_ value: UInt64) -> String {
    let digits = Array(String(value))
    var text = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
      text.append(digit)
    }
    return text
  }
}
