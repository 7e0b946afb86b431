import CryptoPrimitives
import Testing

@Suite("HMAC")
struct HMACTests {
  struct Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let message: [UInt8]
    let expected: String
    var testDescription: String { name }
  }

  /// RFC 4231 §4.2–4.8 (test case 5, the truncated one, is covered separately).
  static let rfc4231: [Vector] = [
    Vector(
      name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), message: TestBytes.utf8("Hi There"),
      expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    Vector(
      name: "case 2", key: TestBytes.utf8("Jefe"),
      message: TestBytes.utf8("what do ya want for nothing?"),
      expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    Vector(
      name: "case 3", key: [UInt8](repeating: 0xaa, count: 20),
      message: [UInt8](repeating: 0xdd, count: 50),
      expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    Vector(
      name: "case 4", key: TestBytes.hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
      message: [UInt8](repeating: 0xcd, count: 50),
      expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    Vector(
      name: "case 6", key: [UInt8](repeating: 0xaa, count: 131),
      message: TestBytes.utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
      expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    Vector(
      name: "case 7", key: [UInt8](repeating: 0xaa, count: 131),
      message: TestBytes.utf8(
        "This is a test using a larger than block-size key and a larger than block-size data."
          + " The key needs to be hashed before being used by the HMAC algorithm."),
      expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
  ]

  /// RFC 2202 §3, HMAC-SHA1.
  static let rfc2202: [Vector] = [
    Vector(
      name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), message: TestBytes.utf8("Hi There"),
      expected: "b617318655057264e28bc0b6fb378c8ef146be00"),
    Vector(
      name: "case 2", key: TestBytes.utf8("Jefe"),
      message: TestBytes.utf8("what do ya want for nothing?"),
      expected: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    Vector(
      name: "case 3", key: [UInt8](repeating: 0xaa, count: 20),
      message: [UInt8](repeating: 0xdd, count: 50),
      expected: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
    Vector(
      name: "case 4", key: TestBytes.hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
      message: [UInt8](repeating: 0xcd, count: 50),
      expected: "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
    Vector(
      name: "case 6", key: [UInt8](repeating: 0xaa, count: 80),
      message: TestBytes.utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
      expected: "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
    Vector(
      name: "case 7", key: [UInt8](repeating: 0xaa, count: 80),
      message: TestBytes.utf8(
        "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
      expected: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
  ]

  @Test("RFC 4231 HMAC-SHA256", arguments: rfc4231)
  func sha256(vector: Vector) {
    let code = HMAC.authenticationCode(key: vector.key, message: vector.message, algorithm: .sha256)
    #expect(TestBytes.hexString(code) == vector.expected)
  }

  @Test("RFC 2202 HMAC-SHA1", arguments: rfc2202)
  func sha1(vector: Vector) {
    let code = HMAC.authenticationCode(key: vector.key, message: vector.message, algorithm: .sha1)
    #expect(TestBytes.hexString(code) == vector.expected)
  }

  @Test("RFC 4231 case 5: output truncated to 128 bits is a prefix")
  func truncated() {
    let code = HMAC.authenticationCode(
      key: [UInt8](repeating: 0x0c, count: 20), message: TestBytes.utf8("Test With Truncation"),
      algorithm: .sha256)
    #expect(TestBytes.hexString(Array(code.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
  }

  @Test("empty key and message are valid inputs")
  func emptyInputs() {
    // Known values: HMAC with an empty key over an empty message.
    #expect(
      TestBytes.hexString(HMAC.authenticationCode(key: [], message: [UInt8](), algorithm: .sha256))
        == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    #expect(
      TestBytes.hexString(HMAC.authenticationCode(key: [], message: [UInt8](), algorithm: .sha1))
        == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d")
  }

  @Test("algorithm metadata")
  func algorithmMetadata() {
    #expect(HMAC.Algorithm.sha1.digestLength == 20)
    #expect(HMAC.Algorithm.sha256.digestLength == 32)
    #expect(HMAC.Algorithm.sha1.description == "SHA1")
    #expect(HMAC.Algorithm.sha256.description == "SHA256")
  }
}
