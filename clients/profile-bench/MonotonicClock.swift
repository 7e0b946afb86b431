internal import Glibc

/// `CLOCK_MONOTONIC` in nanoseconds, for the raw baseline's hot loops.
///
/// `clock_gettime` is served by the vDSO, so reading it costs no system call; the value counts
/// from an arbitrary point and only differences are meaningful.
enum MonotonicClock {
  /// The current reading.
  static func nanoseconds() -> UInt64 {
    var now = timespec()
    let result = clock_gettime(CLOCK_MONOTONIC, &now)
    // CLOCK_MONOTONIC is always supported on Linux and `now` is valid, so this cannot fail.
    precondition(result == 0, "clock_gettime(CLOCK_MONOTONIC) failed: errno \(errno)")
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
  }

  /// Converts seconds to nanoseconds, for deadlines.
  static func nanoseconds(seconds: Double) -> UInt64 {
    UInt64((seconds * 1e9).rounded())
  }
}
