internal import CLibCrypto

/// Glue shared by the wrappers around libcrypto: error reporting and pointer plumbing.
///
/// Nothing here computes anything cryptographic; it only moves bytes to and from OpenSSL.
enum LibCrypto {
  /// The largest length handed to a libcrypto function that takes an `int`; longer inputs are fed in chunks.
  static let maximumChunk = 1 << 30

  /// A ``CryptoError`` for a failed libcrypto call, carrying every error OpenSSL queued on this thread.
  ///
  /// Drains the thread's OpenSSL error queue, so a later failure does not report stale errors.
  static func failure(_ function: String) -> CryptoError {
    let details = drainErrors()
    let suffix = details.isEmpty ? "no OpenSSL error queued" : details
    return CryptoError(.libcryptoFailure, "\(function) failed: \(suffix)")
  }

  /// Empties this thread's OpenSSL error queue and returns its entries, oldest first, joined by "; ".
  static func drainErrors() -> String {
    var messages: [String] = []
    while true {
      let code = ERR_get_error()
      if code == 0 { break }
      var buffer = [CChar](repeating: 0, count: 256)
      buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
      messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return messages.joined(separator: "; ")
  }

  /// Calls `body` with a pointer to `bytes` that is never null, even when `bytes` is empty.
  ///
  /// Several OpenSSL entry points treat a null pointer as "not set" even with a zero length (an HMAC key,
  /// a KDF password); an empty array's base address may be null, so this substitutes a one-byte dummy.
  static func withNonNullBytes<Result>(
    _ bytes: some Collection<UInt8>, _ body: (UnsafePointer<UInt8>, Int) throws -> Result
  ) rethrows -> Result {
    let direct = try bytes.withContiguousStorageIfAvailable { try withNonNullBytes($0, body) }
    if let direct { return direct }
    return try withNonNullBytes(Array(bytes), body)
  }

  /// The same for a buffer already at hand: concrete in the bytes' type, so the hot callers
  /// (``SHA256``) pay no generic dispatch.
  static func withNonNullBytes<Result>(
    _ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int) throws -> Result
  ) rethrows -> Result {
    if let base = buffer.baseAddress, !buffer.isEmpty { return try body(base, buffer.count) }
    let placeholder: UInt8 = 0
    return try withUnsafePointer(to: placeholder) { try body($0, 0) }
  }

  /// The same for an array.
  static func withNonNullBytes<Result>(
    _ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) throws -> Result
  ) rethrows -> Result {
    try bytes.withUnsafeBufferPointer { try withNonNullBytes($0, body) }
  }
}
