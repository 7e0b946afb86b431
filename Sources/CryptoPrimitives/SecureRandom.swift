internal import CLibCrypto

/// Cryptographically secure random values from OpenSSL's `RAND_bytes` (the process-wide DRBG).
public enum SecureRandom {
  /// The shortest token ``token(bytes:)`` will make: 128 bits, beyond guessing.
  public static let minimumTokenLength = 16

  /// `count` random bytes.
  ///
  /// - Throws: ``CryptoError/Code/invalidArgument`` for a negative count;
  ///   ``CryptoError/Code/libcryptoFailure`` if the DRBG cannot produce output (it is not seeded).
  ///   Never returns weak bytes instead of throwing.
  public static func bytes(_ count: Int) throws -> [UInt8] {
    guard count >= 0 else {
      throw CryptoError(.invalidArgument, "cannot produce \(count) random bytes")
    }
    var output = [UInt8](repeating: 0, count: count)
    try output.withUnsafeMutableBufferPointer { buffer in
      var offset = 0
      while offset < buffer.count {
        let chunk = min(buffer.count - offset, LibCrypto.maximumChunk)
        guard RAND_bytes(buffer.baseAddress! + offset, Int32(chunk)) == 1 else {
          throw LibCrypto.failure("RAND_bytes")
        }
        offset += chunk
      }
    }
    return output
  }

  /// A six-digit decimal code, uniform over "000000" to "999999", for codes sent by SMS or email.
  ///
  /// Uses rejection sampling, so no code is more likely than another (a plain `% 1_000_000` would be).
  /// The code has about 20 bits of entropy: the caller must limit attempts and expire it.
  /// - Throws: ``CryptoError/Code/libcryptoFailure`` if the DRBG fails.
  public static func sixDigitCode() throws -> String {
    let value = try uniform(below: 1_000_000)
    let digits = String(value)
    return String(repeating: "0", count: 6 - digits.count) + digits
  }

  /// A random opaque token (session id, reset link, API key) of `bytes` bytes.
  ///
  /// Store only a hash of the token (``SHA256/hash(_:)``) if it grants access.
  /// - Throws: ``CryptoError/Code/invalidArgument`` when `bytes` is below ``minimumTokenLength``, since a
  ///   shorter token could be guessed; ``CryptoError/Code/libcryptoFailure`` if the DRBG fails.
  public static func token(bytes: Int = 32) throws -> [UInt8] {
    guard bytes >= minimumTokenLength else {
      throw CryptoError(
        .invalidArgument, "a token needs at least \(minimumTokenLength) bytes, not \(bytes)")
    }
    return try self.bytes(bytes)
  }

  /// A value uniform in `0..<upperBound`, by rejecting 32-bit draws from the incomplete last block.
  ///
  /// Expected draws stay below 2 for any bound; for 1,000,000 a draw is rejected with probability 0.02%.
  static func uniform(below upperBound: UInt32) throws -> UInt32 {
    precondition(upperBound > 0, "uniform(below:) needs a positive bound")
    let range = UInt64(UInt32.max) + 1
    let acceptedLimit = range - range % UInt64(upperBound)
    while true {
      let draw = try bytes(4).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      if draw < acceptedLimit { return UInt32(draw % UInt64(upperBound)) }
    }
  }
}
