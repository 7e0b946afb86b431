/// Credits an organization consumed for one reason on one UTC day.
public struct DailyUsageRecord: Sendable, Equatable {
  /// Days since 1970-01-01 (UTC).
  public var day: Int64
  public var reason: String
  public var credits: Int64

  public init(day: Int64, reason: String, credits: Int64) {
    self.day = day
    self.reason = reason
    self.credits = credits
  }
}
