internal import CLibCrypto

extension HMAC {
  /// The hash function under an HMAC (and a TOTP).
  ///
  /// A struct rather than a public enum so algorithms can be added without breaking callers' `switch`es.
  public struct Algorithm: Sendable, Hashable, CustomStringConvertible {
    private enum Wrapped: Sendable, Hashable {
      case sha1
      case sha256
    }

    private let wrapped: Wrapped

    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// HMAC-SHA1: still sound as a MAC, and what authenticator apps expect for TOTP.
    public static let sha1 = Algorithm(.sha1)

    /// HMAC-SHA256.
    public static let sha256 = Algorithm(.sha256)

    /// The length of a MAC in bytes: 20 for SHA-1, 32 for SHA-256.
    public var digestLength: Int {
      switch wrapped {
      case .sha1: 20
      case .sha256: 32
      }
    }

    /// The name `otpauth://` URIs use: `SHA1`, `SHA256`.
    public var description: String {
      switch wrapped {
      case .sha1: "SHA1"
      case .sha256: "SHA256"
      }
    }

    /// libcrypto's digest for this algorithm; a static object that must not be freed.
    func messageDigest() -> OpaquePointer {
      switch wrapped {
      case .sha1: EVP_sha1()
      case .sha256: EVP_sha256()
      }
    }
  }
}
