internal import CLibCrypto

extension SHA256 {
  /// A SHA-256 digest computed incrementally, for data written or read in pieces (an export
  /// file) that should not be held in memory at once.
  ///
  /// Not `Sendable`: one task feeds it. Traps, like ``SHA256/hash(_:)``, only when libcrypto
  /// itself is broken.
  public final class Hasher {
    private let context: OpaquePointer
    private var finished = false

    public init() {
      guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
        preconditionFailure("\(LibCrypto.failure("EVP_DigestInit_ex(SHA-256)"))")
      }
      self.context = context
    }

    deinit {
      EVP_MD_CTX_free(context)
    }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: some Collection<UInt8>) {
      precondition(!finished, "SHA256.Hasher used after finalize()")
      let status = LibCrypto.withNonNullBytes(bytes) { input, count in EVP_DigestUpdate(context, input, count) }
      guard status == 1 else { preconditionFailure("\(LibCrypto.failure("EVP_DigestUpdate(SHA-256)"))") }
    }

    /// The digest of everything added; the hasher takes no more bytes after it.
    public func finalize() -> [UInt8] {
      precondition(!finished, "SHA256.Hasher finalized twice")
      finished = true
      var digest = [UInt8](repeating: 0, count: SHA256.digestLength)
      var length: UInt32 = 0
      let status = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
      guard status == 1, length == SHA256.digestLength else {
        preconditionFailure("\(LibCrypto.failure("EVP_DigestFinal_ex(SHA-256)"))")
      }
      return digest
    }

    /// ``finalize()`` as 64 lowercase hexadecimal digits.
    public func finalizeHex() -> String {
      Hex.encode(finalize())
    }
  }
}
