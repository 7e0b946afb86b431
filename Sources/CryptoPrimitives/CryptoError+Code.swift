extension CryptoError {
  /// The kind of a ``CryptoError``.
  ///
  /// A struct rather than a public enum so codes can be added later without breaking callers' `switch`es.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    private enum Wrapped: Sendable, Hashable {
      case invalidArgument
      case libcryptoFailure
      case authenticationFailed
      case truncatedInput
      case unsupportedVersion
      case invalidEncoding
      case malformedPasswordHash
      case parametersOutOfRange
      case fileSystem
      case keyFileWrongSize
      case keyFileInsecure
    }

    private let wrapped: Wrapped

    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// The caller passed a value the operation cannot accept (a key of the wrong length, a negative count,
    /// scrypt parameters that are not valid). A programming error, not an attack.
    public static let invalidArgument = Code(.invalidArgument)

    /// A libcrypto call failed for a reason other than authentication (allocation, a missing algorithm,
    /// an exhausted entropy source). The message carries OpenSSL's error strings.
    public static let libcryptoFailure = Code(.libcryptoFailure)

    /// Sealed data did not authenticate: the key or the associated data is wrong, or the bytes were
    /// altered. AES-GCM cannot tell these apart, and neither do we.
    public static let authenticationFailed = Code(.authenticationFailed)

    /// Sealed data is shorter than its fixed header and tag, so it cannot be a sealed box at all.
    public static let truncatedInput = Code(.truncatedInput)

    /// Sealed data starts with a format version this build does not know.
    public static let unsupportedVersion = Code(.unsupportedVersion)

    /// Text that should be Base32 or Base64 contains a character, a length or padding that the
    /// encoding does not allow.
    public static let invalidEncoding = Code(.invalidEncoding)

    /// A stored password hash string does not have the `$scrypt$ln=…,r=…,p=…$salt$hash` shape.
    public static let malformedPasswordHash = Code(.malformedPasswordHash)

    /// Scrypt parameters (requested or read from a stored hash) are beyond the limits that keep memory
    /// and time bounded.
    public static let parametersOutOfRange = Code(.parametersOutOfRange)

    /// A system call on a file failed; the message carries the path and `strerror(errno)`.
    public static let fileSystem = Code(.fileSystem)

    /// An existing key file does not hold exactly the expected number of bytes.
    public static let keyFileWrongSize = Code(.keyFileWrongSize)

    /// An existing key file is not a regular file or can be accessed by group or others.
    public static let keyFileInsecure = Code(.keyFileInsecure)

    public var description: String {
      switch wrapped {
      case .invalidArgument: "invalid argument"
      case .libcryptoFailure: "libcrypto failure"
      case .authenticationFailed: "authentication failed"
      case .truncatedInput: "truncated input"
      case .unsupportedVersion: "unsupported version"
      case .invalidEncoding: "invalid encoding"
      case .malformedPasswordHash: "malformed password hash"
      case .parametersOutOfRange: "parameters out of range"
      case .fileSystem: "file system error"
      case .keyFileWrongSize: "key file has the wrong size"
      case .keyFileInsecure: "key file is insecure"
      }
    }
  }
}
