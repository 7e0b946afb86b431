internal import CLibCrypto

/// SHA-256 digests computed by libcrypto's `EVP_Digest`.
public enum SHA256 {
  /// The length of a digest in bytes.
  public static let digestLength = 32

  /// The SHA-256 digest of `bytes`.
  ///
  /// Copies `bytes` first only if the collection has no contiguous storage. Traps if libcrypto cannot
  /// compute a digest at all, which only happens when the library is broken or memory is exhausted.
  public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
    LibCrypto.withNonNullBytes(bytes) { input, count in digest(input, count) }
  }

  /// The SHA-256 digest of an array's bytes, without the generic version's run-time type
  /// look-ups.
  public static func hash(_ bytes: [UInt8]) -> [UInt8] {
    LibCrypto.withNonNullBytes(bytes) { input, count in digest(input, count) }
  }

  /// The SHA-256 digest of a string's UTF-8 bytes. A bearer token is hashed so on every
  /// authenticated call: called with a `String.UTF8View`, the generic version ran unspecialized
  /// (this module is not inlined into its callers) and looked up the view's type metadata and
  /// witnesses at run time on every call.
  public static func hash(_ utf8: String.UTF8View) -> [UInt8] {
    if let digest = utf8.withContiguousStorageIfAvailable({ buffer in
      LibCrypto.withNonNullBytes(buffer) { input, count in digest(input, count) }
    }) {
      return digest
    }
    return hash(Array(utf8))
  }

  /// The digest of the `count` bytes at `input`, which must not be null.
  private static func digest(_ input: UnsafePointer<UInt8>, _ count: Int) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: digestLength)
    var length: UInt32 = 0
    let status = digest.withUnsafeMutableBufferPointer { output in
      EVP_Digest(input, count, output.baseAddress, &length, FetchedDigest.sha256, nil)
    }
    guard status == 1, length == digestLength else {
      preconditionFailure("\(LibCrypto.failure("EVP_Digest(SHA-256)"))")
    }
    return digest
  }

  /// The SHA-256 digest of `bytes` as 64 lowercase hexadecimal digits.
  public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
    Hex.encode(hash(bytes))
  }
}

/// SHA-256 fetched from libcrypto's providers once, for the life of the process.
///
/// `EVP_sha256()` makes `EVP_Digest` fetch the implementation again on every call (OpenSSL 3,
/// crypto(7), "Performance"). With the digest fetched once, a 43-byte digest (a bearer token,
/// hashed on every authenticated call) took about 190 ns instead of 420 ns in a C loop of a
/// million digests on the development machine.
private enum FetchedDigest {
  /// An `EVP_MD` is immutable once fetched and may be shared by threads.
  private struct Handle: @unchecked Sendable {
    let pointer: OpaquePointer
  }

  private static let fetched: Handle? = EVP_MD_fetch(nil, "SHA256", nil).map(Handle.init)

  /// The fetched digest, or `EVP_sha256()` (fetched per call again) if the one-time fetch failed.
  static var sha256: OpaquePointer { fetched?.pointer ?? EVP_sha256() }
}
