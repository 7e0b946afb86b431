/// The one error type thrown by CryptoPrimitives.
///
/// Match on ``code``: it is a struct over a private enum, so new codes can be added without breaking a
/// caller's `switch`. ``message`` is for people and logs and may change between releases. No message ever
/// contains key material, passwords, plaintext or derived secrets. When a libcrypto call fails, the message
/// names the call and carries OpenSSL's own error strings (from `ERR_get_error`).
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of failure this is; stable enough to branch on.
  public let code: Code

  /// A human-readable explanation; not stable, not for parsing.
  public let message: String

  init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }
}
