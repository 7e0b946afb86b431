import CryptoPrimitives
import Foundation
import Testing

@Suite("TOTP")
struct TOTPTests {
  static let sha1Secret = TestBytes.utf8("12345678901234567890")
  static let sha256Secret = TestBytes.utf8("12345678901234567890123456789012")

  /// RFC 6238 Appendix B: time, counter T, SHA1 code, SHA256 code (8 digits).
  static let rfc6238: [(TimeInterval, UInt64, String, String)] = [
    (59, 0x1, "94287082", "46119246"),
    (1_111_111_109, 0x23523EC, "07081804", "68084774"),
    (1_111_111_111, 0x23523ED, "14050471", "67062674"),
    (1_234_567_890, 0x273EF07, "89005924", "91819424"),
    (2_000_000_000, 0x3F940AA, "69279037", "90698825"),
    (20_000_000_000, 0x27BC86AA, "65353130", "77737706"),
  ]

  @Test("RFC 6238 Appendix B, SHA1, 8 digits", arguments: rfc6238)
  func rfc6238SHA1(time: TimeInterval, counter: UInt64, sha1: String, sha256: String) {
    let date = Date(timeIntervalSince1970: time)
    #expect(TOTP.counter(for: date) == counter)
    #expect(TOTP.code(secret: Self.sha1Secret, time: date, digits: 8) == sha1)
    #expect(TOTP.validate(code: sha1, secret: Self.sha1Secret, time: date, digits: 8) == counter)
  }

  @Test("RFC 6238 Appendix B, SHA256, 8 digits", arguments: rfc6238)
  func rfc6238SHA256(time: TimeInterval, counter: UInt64, sha1: String, sha256: String) {
    let date = Date(timeIntervalSince1970: time)
    #expect(TOTP.code(secret: Self.sha256Secret, time: date, digits: 8, algorithm: .sha256) == sha256)
  }

  @Test("6-digit codes are the same truncation reduced mod 10^6", arguments: rfc6238)
  func sixDigits(time: TimeInterval, counter: UInt64, sha1: String, sha256: String) {
    let code = TOTP.code(secret: Self.sha1Secret, time: Date(timeIntervalSince1970: time))
    #expect(code == String(sha1.suffix(6)))
    #expect(code.count == 6)
  }

  @Test("RFC 4226 Appendix D HOTP values")
  func rfc4226() {
    let expected = [
      "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
      "520489",
    ]
    for (counter, code) in expected.enumerated() {
      #expect(TOTP.code(secret: Self.sha1Secret, counter: UInt64(counter)) == code)
    }
  }

  @Test("counter boundaries, other steps and times before the epoch")
  func counters() {
    #expect(TOTP.counter(for: Date(timeIntervalSince1970: 0)) == 0)
    #expect(TOTP.counter(for: Date(timeIntervalSince1970: 29.999)) == 0)
    #expect(TOTP.counter(for: Date(timeIntervalSince1970: 30)) == 1)
    #expect(TOTP.counter(for: Date(timeIntervalSince1970: 59.9)) == 1)
    #expect(TOTP.counter(for: Date(timeIntervalSince1970: 120), step: 60) == 2)
    #expect(TOTP.counter(for: Date(timeIntervalSince1970: -1000)) == 0)
  }

  @Test("drift ±1 is accepted and returns the matched counter; ±2 is refused")
  func drift() {
    let now = Date(timeIntervalSince1970: 1_111_111_111)
    let counter = TOTP.counter(for: now)
    func code(_ offset: Int) -> String {
      TOTP.code(secret: Self.sha1Secret, time: now.addingTimeInterval(Double(offset * 30)))
    }
    #expect(TOTP.validate(code: code(0), secret: Self.sha1Secret, time: now) == counter)
    #expect(TOTP.validate(code: code(-1), secret: Self.sha1Secret, time: now) == counter - 1)
    #expect(TOTP.validate(code: code(1), secret: Self.sha1Secret, time: now) == counter + 1)
    #expect(TOTP.validate(code: code(-2), secret: Self.sha1Secret, time: now) == nil)
    #expect(TOTP.validate(code: code(2), secret: Self.sha1Secret, time: now) == nil)
    #expect(TOTP.validate(code: code(2), secret: Self.sha1Secret, time: now, drift: 2) == counter + 2)
    #expect(TOTP.validate(code: code(1), secret: Self.sha1Secret, time: now, drift: 0) == nil)
    // Another secret's code does not validate.
    #expect(TOTP.validate(code: code(0), secret: Self.sha256Secret, time: now) == nil)
  }

  @Test("drift near the epoch does not underflow")
  func driftAtEpoch() {
    let start = Date(timeIntervalSince1970: 5)
    let code = TOTP.code(secret: Self.sha1Secret, time: start)
    #expect(TOTP.validate(code: code, secret: Self.sha1Secret, time: start, drift: 3) == 0)
  }

  @Test("malformed codes are refused", arguments: ["", "28708", "2870820", "28708a", " 287082", "２８７０８２"])
  func malformedCodes(code: String) {
    // 287082 is the code for counter 1 (t = 59), so only the malformation can cause a refusal.
    #expect(TOTP.validate(code: code, secret: Self.sha1Secret, time: Date(timeIntervalSince1970: 59)) == nil)
  }

  @Test("provisioning URI has the key-URI shape")
  func provisioningURI() {
    let uri = TOTP.provisioningURI(
      secret: Self.sha1Secret, account: "alice@example.com", issuer: "Profile Service")
    #expect(
      uri
        == "otpauth://totp/Profile%20Service:alice%40example.com"
        + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Profile%20Service"
        + "&algorithm=SHA1&digits=6&period=30")
  }

  @Test("provisioning URI escapes separators and non-ASCII so it parses back exactly")
  func provisioningURIEscaping() throws {
    let issuer = "Acme: Co & Sons/Ünïcode?"
    let account = "bob+tag@example.com#1 ☃"
    let uri = TOTP.provisioningURI(secret: Self.sha1Secret, account: account, issuer: issuer)
    let components = try #require(URLComponents(string: uri))
    #expect(components.scheme == "otpauth")
    #expect(components.host == "totp")
    #expect(components.path == "/\(issuer):\(account)")
    #expect(components.percentEncodedPath.filter { $0 == ":" }.count == 1)
    let query = Dictionary(
      uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    #expect(query["issuer"] == issuer)
    #expect(query["secret"] == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    #expect(try Base32.decode(query["secret"] ?? "") == Self.sha1Secret)
    #expect(query["algorithm"] == "SHA1")
    #expect(query["digits"] == "6")
    #expect(query["period"] == "30")
    #expect(query.count == 5)
  }
}
