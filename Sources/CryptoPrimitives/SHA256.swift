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
    var digest = [UInt8](repeating: 0, count: digestLength)
    var length: UInt32 = 0
    let status = LibCrypto.withNonNullBytes(bytes) { input, count in
      digest.withUnsafeMutableBufferPointer { output in
        EVP_Digest(input, count, output.baseAddress, &length, EVP_sha256(), nil)
      }
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
