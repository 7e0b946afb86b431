internal import CLibCrypto

/// The scrypt key-derivation function (RFC 7914), computed by libcrypto's `EVP_KDF` "SCRYPT".
///
/// For password storage use ``PasswordHasher``, which picks the salt, bounds the parameters and formats
/// the result; this is the raw function underneath it.
public enum Scrypt {
  /// Headroom added to the exact memory scrypt needs when telling OpenSSL its memory limit.
  private static let memorySlack: UInt64 = 1 << 20

  /// Derives `length` bytes from `password` and `salt` with cost `n`, block size `r` and parallelism `p`.
  ///
  /// Cost: allocates about `128 · r · (n + p)` bytes (32 MiB for n = 2^15, r = 8, p = 1) and runs in
  /// time proportional to `n · r · p`, on the calling thread; OpenSSL's memory limit is raised to exactly
  /// what the parameters need, so bound them before passing values you did not choose.
  /// - Throws: ``CryptoError/Code/invalidArgument`` unless `n` is a power of two above 1, `r` and `p` are
  ///   positive and fit in 32 bits with `r · p < 2^30`, and `length` is positive;
  ///   ``CryptoError/Code/libcryptoFailure`` if OpenSSL refuses, for instance when memory cannot be
  ///   allocated or `n ≥ 2^(16·r)` (RFC 7914's bound, which OpenSSL reports as "memory limit exceeded").
  public static func deriveKey(
    password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int
  ) throws -> [UInt8] {
    guard n > 1, n & (n - 1) == 0 else {
      throw CryptoError(.invalidArgument, "scrypt N must be a power of two above 1, not \(n)")
    }
    guard r > 0, p > 0, r <= UInt64(UInt32.max), p <= UInt64(UInt32.max), r * p < 1 << 30 else {
      throw CryptoError(.invalidArgument, "scrypt r=\(r), p=\(p) must be positive with r·p < 2^30")
    }
    guard length > 0 else {
      throw CryptoError(.invalidArgument, "scrypt output length must be positive, not \(length)")
    }
    guard let memory = memoryRequired(n: n, r: r, p: p), memory <= UInt64.max - memorySlack else {
      throw CryptoError(.invalidArgument, "scrypt N=\(n), r=\(r) needs more memory than can be addressed")
    }

    guard let kdf = EVP_KDF_fetch(nil, OSSL_KDF_NAME_SCRYPT, nil) else {
      throw LibCrypto.failure("EVP_KDF_fetch(SCRYPT)")
    }
    defer { EVP_KDF_free(kdf) }
    guard let context = EVP_KDF_CTX_new(kdf) else { throw LibCrypto.failure("EVP_KDF_CTX_new") }
    defer { EVP_KDF_CTX_free(context) }

    try setOctets(context, OSSL_KDF_PARAM_PASSWORD, password)
    try setOctets(context, OSSL_KDF_PARAM_SALT, salt)
    try setUInt64(context, OSSL_KDF_PARAM_SCRYPT_N, n)
    try setUInt32(context, OSSL_KDF_PARAM_SCRYPT_R, UInt32(r))
    try setUInt32(context, OSSL_KDF_PARAM_SCRYPT_P, UInt32(p))
    try setUInt64(context, OSSL_KDF_PARAM_SCRYPT_MAXMEM, memory + memorySlack)

    var key = [UInt8](repeating: 0, count: length)
    let status = key.withUnsafeMutableBufferPointer { output in
      EVP_KDF_derive(context, output.baseAddress, output.count, nil)
    }
    guard status == 1 else {
      OPENSSL_cleanse(&key, key.count)
      throw LibCrypto.failure("EVP_KDF_derive(SCRYPT N=\(n), r=\(r), p=\(p))")
    }
    return key
  }

  /// The bytes scrypt allocates for these parameters, as OpenSSL counts them (`128·r·(N+2) + 128·r·p`),
  /// or `nil` if that overflows 64 bits.
  static func memoryRequired(n: UInt64, r: UInt64, p: UInt64) -> UInt64? {
    let (blocks, overflowN) = n.addingReportingOverflow(2)
    let (blocksAndP, overflowP) = blocks.addingReportingOverflow(p)
    let (perBlock, overflowR) = r.multipliedReportingOverflow(by: 128)
    let (total, overflowTotal) = perBlock.multipliedReportingOverflow(by: blocksAndP)
    guard !(overflowN || overflowP || overflowR || overflowTotal) else { return nil }
    return total
  }

  private static func setOctets(_ context: OpaquePointer, _ name: String, _ value: [UInt8]) throws {
    let status = name.withCString { key in
      LibCrypto.withNonNullBytes(value) { bytes, count in
        var parameters = [
          OSSL_PARAM_construct_octet_string(key, UnsafeMutableRawPointer(mutating: bytes), count),
          OSSL_PARAM_construct_end(),
        ]
        return EVP_KDF_CTX_set_params(context, &parameters)
      }
    }
    guard status == 1 else { throw LibCrypto.failure("EVP_KDF_CTX_set_params(\(name))") }
  }

  private static func setUInt64(_ context: OpaquePointer, _ name: String, _ value: UInt64) throws {
    var value = value
    let status = name.withCString { key in
      withUnsafeMutablePointer(to: &value) { pointer in
        var parameters = [OSSL_PARAM_construct_uint64(key, pointer), OSSL_PARAM_construct_end()]
        return EVP_KDF_CTX_set_params(context, &parameters)
      }
    }
    guard status == 1 else { throw LibCrypto.failure("EVP_KDF_CTX_set_params(\(name))") }
  }

  private static func setUInt32(_ context: OpaquePointer, _ name: String, _ value: UInt32) throws {
    var value = value
    let status = name.withCString { key in
      withUnsafeMutablePointer(to: &value) { pointer in
        var parameters = [OSSL_PARAM_construct_uint32(key, pointer), OSSL_PARAM_construct_end()]
        return EVP_KDF_CTX_set_params(context, &parameters)
      }
    }
    guard status == 1 else { throw LibCrypto.failure("EVP_KDF_CTX_set_params(\(name))") }
  }
}
