import CryptoPrimitives
import Testing

@Suite("AESGCM")
struct AESGCMTests {
  static let key = (0..<32).map { UInt8($0) }
  static let message = TestBytes.utf8("the quick brown fox jumps over the lazy dog")
  static let context = TestBytes.utf8("user:42/email")

  static func code(of error: any Error) -> CryptoError.Code? { (error as? CryptoError)?.code }

  @Test("round trip, with and without associated data, of several lengths", arguments: [0, 1, 15, 16, 17, 1000])
  func roundTrip(length: Int) throws {
    let plaintext = try SecureRandom.bytes(length)
    let sealed = try AESGCM.seal(plaintext, key: Self.key, associatedData: Self.context)
    #expect(sealed.count == plaintext.count + AESGCM.overhead)
    #expect(sealed[0] == 1)
    #expect(try AESGCM.open(sealed, key: Self.key, associatedData: Self.context) == plaintext)

    let bare = try AESGCM.seal(plaintext, key: Self.key)
    #expect(try AESGCM.open(bare, key: Self.key) == plaintext)
  }

  @Test("the ciphertext does not contain the plaintext")
  func hidesPlaintext() throws {
    let sealed = try AESGCM.seal(Self.message, key: Self.key)
    let body = Array(sealed[13..<(sealed.count - 16)])
    #expect(body.count == Self.message.count)
    #expect(body != Self.message)
  }

  @Test("two seals of the same message use different nonces")
  func freshNonces() throws {
    let first = try AESGCM.seal(Self.message, key: Self.key)
    let second = try AESGCM.seal(Self.message, key: Self.key)
    #expect(first[1..<13] != second[1..<13])
    #expect(first != second)
  }

  /// Flipping one bit anywhere in nonce, ciphertext or tag must fail authentication; in the version
  /// byte it must be reported as an unknown version.
  @Test("tampering with each region is refused", arguments: ["version", "nonce", "ciphertext", "tag"])
  func tamper(region: String) throws {
    let sealed = try AESGCM.seal(Self.message, key: Self.key, associatedData: Self.context)
    let offsets: [Int] =
      switch region {
      case "version": [0]
      case "nonce": [1, 6, 12]
      case "ciphertext": [13, 13 + Self.message.count / 2, 13 + Self.message.count - 1]
      default: [sealed.count - 16, sealed.count - 1]
      }
    let expected: CryptoError.Code = region == "version" ? .unsupportedVersion : .authenticationFailed
    for offset in offsets {
      var altered = sealed
      altered[offset] ^= 0x01
      #expect(performing: {
        try AESGCM.open(altered, key: Self.key, associatedData: Self.context)
      }, throws: { Self.code(of: $0) == expected })
    }
  }

  @Test("a wrong key is refused")
  func wrongKey() throws {
    let sealed = try AESGCM.seal(Self.message, key: Self.key)
    var otherKey = Self.key
    otherKey[31] ^= 0x80
    #expect {
      try AESGCM.open(sealed, key: otherKey)
    } throws: { Self.code(of: $0) == .authenticationFailed }
  }

  @Test("wrong or missing associated data is refused")
  func wrongAssociatedData() throws {
    let sealed = try AESGCM.seal(Self.message, key: Self.key, associatedData: Self.context)
    for associatedData in [[], TestBytes.utf8("user:43/email"), Self.context + [0]] {
      #expect {
        try AESGCM.open(sealed, key: Self.key, associatedData: associatedData)
      } throws: { Self.code(of: $0) == .authenticationFailed }
    }
  }

  @Test("truncated input is refused")
  func truncated() throws {
    let sealed = try AESGCM.seal(Self.message, key: Self.key)
    for length in [0, 1, 13, AESGCM.overhead - 1] {
      #expect {
        try AESGCM.open(Array(sealed.prefix(length)), key: Self.key)
      } throws: { Self.code(of: $0) == .truncatedInput }
    }
    // Long enough to parse but cut short: the tag is now the wrong bytes.
    #expect {
      try AESGCM.open(Array(sealed.dropLast()), key: Self.key)
    } throws: { Self.code(of: $0) == .authenticationFailed }
  }

  @Test("an unknown version is refused even when the rest is intact")
  func unknownVersion() throws {
    var sealed = try AESGCM.seal(Self.message, key: Self.key)
    sealed[0] = 2
    #expect {
      try AESGCM.open(sealed, key: Self.key)
    } throws: { error in
      guard let error = error as? CryptoError else { return false }
      return error.code == .unsupportedVersion && error.message.contains("2")
    }
  }

  @Test("keys of the wrong length are refused", arguments: [0, 16, 31, 33])
  func keyLength(length: Int) {
    let key = [UInt8](repeating: 7, count: length)
    #expect {
      try AESGCM.seal(Self.message, key: key)
    } throws: { Self.code(of: $0) == .invalidArgument }
    #expect {
      try AESGCM.open([UInt8](repeating: 1, count: 64), key: key)
    } throws: { Self.code(of: $0) == .invalidArgument }
  }

  /// A box made outside this module (Python's `cryptography` AESGCM with key 00…1f, nonce
  /// cafebabefacedbaddecaf888, additional data `0x01 ‖ "user:42/email"`) opens here: the layout is
  /// plain AES-256-GCM with the version byte authenticated first, byte for byte.
  @Test("a golden box from an independent implementation opens")
  func goldenBox() throws {
    let golden = TestBytes.hex(
      "01 cafebabefacedbaddecaf888"
        + "fecbc506db0f26782d2b3faf146ae71f6b4fb871b56c07043dff6b07dbfb458bc535e12aa0ae304242344f3d"
        + "cbac69a7022fe5bfbf97fcd6350bd8")
    #expect(try AESGCM.open(golden, key: Self.key, associatedData: Self.context) == Self.message)
  }
}
