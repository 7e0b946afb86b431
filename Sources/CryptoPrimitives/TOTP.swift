public import Foundation

/// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), with the HMAC from libcrypto.
///
/// Defaults match what authenticator apps assume: HMAC-SHA1, 6 digits, 30-second steps. Secrets should be
/// at least 20 random bytes (``SecureRandom/token(bytes:)``) and are best stored sealed with ``AESGCM``.
public enum TOTP {
  /// Code lengths accepted: RFC 4226 requires at least 6 digits, and authenticator apps stop at 8.
  public static let digitRange = 6...8

  /// The HOTP code for `counter`: dynamic truncation of the HMAC, reduced to `digits` decimal digits.
  ///
  /// Traps unless `digits` is in ``digitRange``: that is a configuration error, not input.
  public static func code(
    secret: [UInt8], counter: UInt64, digits: Int = 6, algorithm: HMAC.Algorithm = .sha1
  ) -> String {
    precondition(digitRange.contains(digits), "TOTP codes have 6 to 8 digits, not \(digits)")
    let message = (0..<8).reversed().map { UInt8(truncatingIfNeeded: counter >> (8 * UInt64($0))) }
    let mac = HMAC.authenticationCode(key: secret, message: message, algorithm: algorithm)
    let offset = Int(mac[mac.count - 1] & 0x0F)
    let truncated = mac[offset..<(offset + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF
    var modulus: UInt32 = 1
    for _ in 0..<digits { modulus *= 10 }
    let value = String(truncated % modulus)
    return String(repeating: "0", count: digits - value.count) + value
  }

  /// The TOTP code for `time`: the HOTP code of ``counter(for:step:)``.
  ///
  /// Traps unless `digits` is in ``digitRange`` and `step` is positive.
  public static func code(
    secret: [UInt8], time: Date, digits: Int = 6, step: Int = 30, algorithm: HMAC.Algorithm = .sha1
  ) -> String {
    code(secret: secret, counter: counter(for: time, step: step), digits: digits, algorithm: algorithm)
  }

  /// The number of whole `step`-second intervals between the Unix epoch and `time`.
  ///
  /// Fractions of a second are dropped before dividing, so a boundary is never crossed early by
  /// rounding. Times before the epoch give 0. Traps unless `step` is positive.
  public static func counter(for time: Date, step: Int = 30) -> UInt64 {
    precondition(step > 0, "a TOTP step must be positive, not \(step)")
    let seconds = time.timeIntervalSince1970.rounded(.down)
    guard seconds > 0 else { return 0 }
    guard seconds < 18_446_744_073_709_551_616.0 else { return UInt64.max / UInt64(step) }
    return UInt64(seconds) / UInt64(step)
  }

  /// The counter whose code equals `code`, looking `drift` steps either side of `time`, or `nil`.
  ///
  /// The current step is tried first, then steps 1, 2, … away, past before future. Comparison is constant
  /// time. A code of the wrong length or with non-digits is `nil`. Replay protection is the caller's job:
  /// store the returned counter with the user and refuse any later code whose counter is not greater.
  /// Cost: up to `2 · drift + 1` HMACs. Traps unless `drift` is non-negative, `digits` is in
  /// ``digitRange`` and `step` is positive.
  public static func validate(
    code: String, secret: [UInt8], time: Date, drift: Int = 1, digits: Int = 6, step: Int = 30,
    algorithm: HMAC.Algorithm = .sha1
  ) -> UInt64? {
    precondition(drift >= 0, "TOTP drift must not be negative, not \(drift)")
    precondition(digitRange.contains(digits), "TOTP codes have 6 to 8 digits, not \(digits)")
    let submitted = Array(code.utf8)
    guard submitted.count == digits,
      submitted.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }

    let current = counter(for: time, step: step)
    var candidates = [current]
    if drift > 0 {
      for distance in 1...UInt64(drift) {
        if current >= distance { candidates.append(current - distance) }
        if current <= UInt64.max - distance { candidates.append(current + distance) }
      }
    }
    for candidate in candidates {
      let expected = Self.code(secret: secret, counter: candidate, digits: digits, algorithm: algorithm)
      if ConstantTime.equals(Array(expected.utf8), submitted) { return candidate }
    }
    return nil
  }

  /// An `otpauth://totp/…` URI for enrolling `secret` in an authenticator app (usually shown as a QR code).
  ///
  /// Shape: `otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30`.
  /// Issuer and account are percent-encoded as UTF-8 (everything outside `A–Z a–z 0–9 - . _ ~`, so a
  /// colon inside either cannot split the label); the secret is unpadded Base32. The URI contains the
  /// secret: never log it.
  public static func provisioningURI(
    secret: [UInt8], account: String, issuer: String, digits: Int = 6, step: Int = 30,
    algorithm: HMAC.Algorithm = .sha1
  ) -> String {
    let issuerText = PercentEncoding.encode(issuer)
    let label = issuerText + ":" + PercentEncoding.encode(account)
    return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerText)"
      + "&algorithm=\(algorithm)&digits=\(digits)&period=\(step)"
  }
}
