internal import CLibCrypto

/// HMAC (RFC 2104) computed by libcrypto's one-shot `HMAC()`.
public enum HMAC {
  /// The HMAC of `message` under `key` with the hash function `algorithm`.
  ///
  /// The result is ``Algorithm/digestLength`` bytes long. Any key length is accepted (longer keys are
  /// hashed first, as the RFC says); use at least the digest length of random key for a real MAC.
  /// Compare MACs with ``ConstantTime/equals(_:_:)``, never `==`. Traps if libcrypto cannot compute an
  /// HMAC at all, which only happens when the library is broken or memory is exhausted.
  public static func authenticationCode(
    key: [UInt8], message: some Collection<UInt8>, algorithm: Algorithm
  ) -> [UInt8] {
    precondition(key.count <= Int(Int32.max), "an HMAC key must be shorter than 2 GiB")
    var code = [UInt8](repeating: 0, count: algorithm.digestLength)
    var length: UInt32 = 0
    let result = LibCrypto.withNonNullBytes(key) { keyPointer, keyCount in
      LibCrypto.withNonNullBytes(message) { messagePointer, messageCount in
        code.withUnsafeMutableBufferPointer { output in
          CLibCrypto.HMAC(
            algorithm.messageDigest(), keyPointer, Int32(keyCount), messagePointer, messageCount,
            output.baseAddress, &length)
        }
      }
    }
    guard result != nil, length == algorithm.digestLength else {
      preconditionFailure("\(LibCrypto.failure("HMAC(\(algorithm))"))")
    }
    return code
  }
}
