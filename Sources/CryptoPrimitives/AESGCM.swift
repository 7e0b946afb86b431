internal import CLibCrypto

/// Authenticated encryption with AES-256-GCM (libcrypto's `EVP_aes_256_gcm`), in a versioned format.
///
/// A sealed box is `version (1 byte, = 1) ‖ nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes)`:
/// ``overhead`` bytes longer than the plaintext. The version byte is authenticated too (it is fed to
/// GCM as the first byte of the additional data, before the caller's), so it cannot be swapped.
///
/// Nonces are random, so one key may seal at most about 2^32 messages before the chance of a nonce
/// repeating (which breaks GCM) stops being negligible; rotate keys well before that.
public enum AESGCM {
  /// The key length in bytes (AES-256).
  public static let keyLength = 32

  /// The nonce length in bytes (GCM's native 96 bits).
  public static let nonceLength = 12

  /// The authentication tag length in bytes (the full 128 bits).
  public static let tagLength = 16

  /// The format version this build writes and the only one it opens.
  public static let formatVersion: UInt8 = 1

  /// Bytes a sealed box adds to its plaintext: version, nonce and tag.
  public static let overhead = 1 + nonceLength + tagLength

  private static var nonceRange: Range<Int> { 1..<(1 + nonceLength) }

  /// Encrypts and authenticates `plaintext`, also authenticating (not encrypting) `associatedData`.
  ///
  /// `associatedData` binds the box to its context (a user id, a column name): ``open(_:key:associatedData:)``
  /// must be given the same bytes.
  /// - Throws: ``CryptoError/Code/invalidArgument`` unless `key` is ``keyLength`` bytes;
  ///   ``CryptoError/Code/libcryptoFailure`` if randomness or the cipher fails.
  public static func seal(
    _ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8] = []
  ) throws -> [UInt8] {
    try checkKey(key)
    let nonce = try SecureRandom.bytes(nonceLength)
    guard let context = EVP_CIPHER_CTX_new() else { throw LibCrypto.failure("EVP_CIPHER_CTX_new") }
    defer { EVP_CIPHER_CTX_free(context) }
    try initialize(context, encrypting: true, key: key, nonce: nonce, associatedData: associatedData)

    var sealed = [UInt8](repeating: 0, count: overhead + plaintext.count)
    sealed[0] = formatVersion
    sealed.replaceSubrange(nonceRange, with: nonce)
    try sealed.withUnsafeMutableBufferPointer { output in
      let ciphertext = output.baseAddress! + nonceRange.upperBound
      try plaintext.withUnsafeBufferPointer { input in
        try transform(context, input: input, output: ciphertext)
      }
      var finalLength: Int32 = 0
      guard EVP_CipherFinal_ex(context, ciphertext + plaintext.count, &finalLength) == 1,
        finalLength == 0
      else { throw LibCrypto.failure("EVP_CipherFinal_ex(AES-256-GCM seal)") }
      let tag = output.baseAddress! + (output.count - tagLength)
      guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), tag) == 1 else {
        throw LibCrypto.failure("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_GET_TAG)")
      }
    }
    return sealed
  }

  /// Checks and decrypts a box made by ``seal(_:key:associatedData:)`` with the same key and associated data.
  ///
  /// No plaintext is returned unless the whole box authenticates.
  /// - Throws: ``CryptoError/Code/invalidArgument`` unless `key` is ``keyLength`` bytes;
  ///   ``CryptoError/Code/truncatedInput`` if `sealed` is shorter than ``overhead``;
  ///   ``CryptoError/Code/unsupportedVersion`` if its first byte is not ``formatVersion``;
  ///   ``CryptoError/Code/authenticationFailed`` for a wrong key, wrong associated data or any altered
  ///   byte (GCM cannot tell these apart); ``CryptoError/Code/libcryptoFailure`` if the cipher fails.
  public static func open(
    _ sealed: [UInt8], key: [UInt8], associatedData: [UInt8] = []
  ) throws -> [UInt8] {
    try checkKey(key)
    guard sealed.count >= overhead else {
      throw CryptoError(
        .truncatedInput,
        "sealed data of \(sealed.count) bytes is shorter than the \(overhead)-byte minimum")
    }
    guard sealed[0] == formatVersion else {
      throw CryptoError(
        .unsupportedVersion, "sealed data has format version \(sealed[0]), expected \(formatVersion)")
    }
    let nonce = Array(sealed[nonceRange])
    var tag = Array(sealed.suffix(tagLength))
    let ciphertextRange = nonceRange.upperBound..<(sealed.count - tagLength)

    guard let context = EVP_CIPHER_CTX_new() else { throw LibCrypto.failure("EVP_CIPHER_CTX_new") }
    defer { EVP_CIPHER_CTX_free(context) }
    try initialize(context, encrypting: false, key: key, nonce: nonce, associatedData: associatedData)

    var plaintext = [UInt8](repeating: 0, count: ciphertextRange.count)
    try sealed.withUnsafeBufferPointer { input in
      try plaintext.withUnsafeMutableBufferPointer { output in
        try transform(
          context, input: UnsafeBufferPointer(rebasing: input[ciphertextRange]),
          output: output.baseAddress)
      }
    }
    guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else {
      throw LibCrypto.failure("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_TAG)")
    }
    var scratch = [UInt8](repeating: 0, count: tagLength)
    var finalLength: Int32 = 0
    guard EVP_CipherFinal_ex(context, &scratch, &finalLength) == 1 else {
      // A tag mismatch is an expected outcome, not a library fault: drop what OpenSSL queued for it.
      ERR_clear_error()
      OPENSSL_cleanse(&plaintext, plaintext.count)
      throw CryptoError(
        .authenticationFailed,
        "sealed data did not authenticate: wrong key, wrong associated data, or altered bytes")
    }
    return plaintext
  }

  private static func checkKey(_ key: [UInt8]) throws {
    guard key.count == keyLength else {
      throw CryptoError(
        .invalidArgument, "AES-256-GCM needs a \(keyLength)-byte key, not \(key.count) bytes")
    }
  }

  /// Sets up `context` for AES-256-GCM in one direction and feeds it the additional data: the format
  /// version byte, then `associatedData`.
  private static func initialize(
    _ context: OpaquePointer, encrypting: Bool, key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
  ) throws {
    let direction: Int32 = encrypting ? 1 : 0
    guard EVP_CipherInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil, direction) == 1 else {
      throw LibCrypto.failure("EVP_CipherInit_ex(AES-256-GCM)")
    }
    guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceLength), nil) == 1 else {
      throw LibCrypto.failure("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_IVLEN)")
    }
    let keyed = key.withUnsafeBufferPointer { keyBytes in
      nonce.withUnsafeBufferPointer { nonceBytes in
        EVP_CipherInit_ex(context, nil, nil, keyBytes.baseAddress, nonceBytes.baseAddress, direction)
      }
    }
    guard keyed == 1 else { throw LibCrypto.failure("EVP_CipherInit_ex(key, nonce)") }

    for chunk in [[formatVersion], associatedData] {
      try chunk.withUnsafeBufferPointer { bytes in
        try transform(context, input: bytes, output: nil)
      }
    }
  }

  /// Runs `input` through the cipher into `output` (or, with `output` nil, as additional data), in
  /// chunks small enough for OpenSSL's `int` lengths.
  private static func transform(
    _ context: OpaquePointer, input: UnsafeBufferPointer<UInt8>, output: UnsafeMutablePointer<UInt8>?
  ) throws {
    var offset = 0
    while offset < input.count {
      let chunk = min(input.count - offset, LibCrypto.maximumChunk)
      var written: Int32 = 0
      let status = EVP_CipherUpdate(
        context, output.map { $0 + offset }, &written, input.baseAddress! + offset, Int32(chunk))
      guard status == 1, output == nil || Int(written) == chunk else {
        throw LibCrypto.failure("EVP_CipherUpdate(AES-256-GCM)")
      }
      offset += chunk
    }
  }
}
