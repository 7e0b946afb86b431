internal import CryptoPrimitives

/// Random identifiers and bearer tokens.
public enum Identifiers {
  /// An opaque id with a readable prefix, such as `usr_5g1k...`: 96 random bits in base32.
  public static func make(_ prefix: String) throws -> String {
    prefix + "_" + Base32.encode(try SecureRandom.bytes(12)).lowercased()
  }

  /// A bearer token: `prefix_` and 256 random bits in base32. Shown once; only its SHA-256 is
  /// stored.
  public static func token(_ prefix: String) throws -> String {
    prefix + "_" + Base32.encode(try SecureRandom.token(bytes: 32)).lowercased()
  }
}
