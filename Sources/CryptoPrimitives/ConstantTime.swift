internal import CLibCrypto

/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
  /// Whether `lhs` and `rhs` hold the same bytes, compared with OpenSSL's `CRYPTO_memcmp`.
  ///
  /// The time taken depends only on the length, never on the contents. Different lengths return `false`
  /// at once: lengths are not treated as secret, so compare fixed-length values (MACs, hashes, codes).
  public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard !lhs.isEmpty else { return true }
    return lhs.withUnsafeBytes { left in
      rhs.withUnsafeBytes { right in
        CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
      }
    }
  }
}
