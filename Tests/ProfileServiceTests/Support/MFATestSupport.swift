import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import RPC

/// The authenticator app of the tests: RFC 6238 computed here from the base32 secret the
/// server returns (its own base32 decoding and truncation; only HMAC-SHA1 comes from libcrypto),
/// so a test checks the server's codes against an implementation that is not the server's.
/// (profilectl's CredentialsJourneyTests check the server against Python's `hmac` as well.)
struct TestAuthenticatorApp: Sendable {
  let secret: [UInt8]

  init(base32 text: String) throws {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var bits: UInt64 = 0
    var bitCount = 0
    var bytes: [UInt8] = []
    for character in text {
      guard let value = alphabet.firstIndex(of: character) else { throw RPCError(.internal, "not base32: \(text)") }
      bits = bits << 5 | UInt64(value)
      bitCount += 5
      if bitCount >= 8 {
        bitCount -= 8
        bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(bitCount)))
      }
    }
    secret = bytes
  }

  /// The 6-digit code an app shows at `time`.
  func code(at time: Date) -> String {
    let step = UInt64(time.timeIntervalSince1970) / 30
    let message = withUnsafeBytes(of: step.bigEndian) { Array($0) }
    let mac = HMAC.authenticationCode(key: secret, message: message, algorithm: .sha1)
    let offset = Int(mac[19] & 0x0F)
    let number =
      (UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8
        | UInt32(mac[offset + 3])) % 1_000_000
    let digits = String(number)
    return String(repeating: "0", count: 6 - digits.count) + digits
  }
}

extension TestUser {
  /// Turns MFA on for this user with a code for `time`; returns the app and the recovery codes.
  func enrollMFA(_ client: ProfileClient, at time: Date) async throws -> (app: TestAuthenticatorApp, recoveryCodes: [String]) {
    let enrollment = try await client.rpc.unary(MFA.beginEnrollment, Empty(), options: options)
    let app = try TestAuthenticatorApp(base32: enrollment.secret)
    let confirmed = try await client.rpc.unary(
      MFA.confirmEnrollment, MFA.CodeRequest(code: app.code(at: time)), options: options)
    return (app, confirmed.recoveryCodes)
  }
}
