import CryptoPrimitives
import Testing

@Suite("Scrypt")
struct ScryptTests {
  @Test("RFC 7914 §12 vector 1: empty password and salt, N=16, r=1, p=1")
  func emptyVector() throws {
    let key = try Scrypt.deriveKey(password: [], salt: [], n: 16, r: 1, p: 1, length: 64)
    #expect(
      key
        == TestBytes.hex(
          """
          77 d6 57 62 38 65 7b 20 3b 19 ca 42 c1 8a 04 97 f1 6b 48 44 e3 07 4a e8 df df fa 3f ed e2 14 42 \
          fc d0 06 9d ed 09 48 f8 32 6a 75 3a 0f c8 1f 17 e8 d3 e0 fb 2e 0d 36 28 cf 35 e2 0c 38 d1 89 06
          """))
  }

  @Test("RFC 7914 §12 vector 2: 'password' / 'NaCl', N=1024, r=8, p=16")
  func naclVector() throws {
    let key = try Scrypt.deriveKey(
      password: TestBytes.utf8("password"), salt: TestBytes.utf8("NaCl"), n: 1024, r: 8, p: 16,
      length: 64)
    #expect(
      key
        == TestBytes.hex(
          """
          fd ba be 1c 9d 34 72 00 78 56 e7 19 0d 01 e9 fe 7c 6a d7 cb c8 23 78 30 e7 73 76 63 4b 37 31 62 \
          2e af 30 d9 2e 22 a3 88 6f f1 09 27 9d 98 30 da c7 27 af b9 4a 83 ee 6d 83 60 cb df a2 cc 06 40
          """))
  }

  @Test("output length is honoured and a prefix of a longer output")
  func length() throws {
    let short = try Scrypt.deriveKey(
      password: TestBytes.utf8("pw"), salt: TestBytes.utf8("salt"), n: 16, r: 1, p: 1, length: 16)
    let long = try Scrypt.deriveKey(
      password: TestBytes.utf8("pw"), salt: TestBytes.utf8("salt"), n: 16, r: 1, p: 1, length: 48)
    #expect(short.count == 16)
    #expect(Array(long.prefix(16)) == short)
  }

  @Test(
    "invalid parameters are refused before reaching OpenSSL",
    arguments: [
      (UInt64(0), UInt64(1), UInt64(1), 32),
      (1, 1, 1, 32),  // N must be above 1
      (1000, 1, 1, 32),  // not a power of two
      (16, 0, 1, 32),
      (16, 1, 0, 32),
      (16, 1 << 15, 1 << 15, 32),  // r·p ≥ 2^30
      (16, 1, 1, 0),
      (1 << 62, 256, 1, 32),  // 128·r·N overflows 64 bits
    ])
  func invalidParameters(n: UInt64, r: UInt64, p: UInt64, length: Int) {
    #expect {
      try Scrypt.deriveKey(password: [1], salt: [2], n: n, r: r, p: p, length: length)
    } throws: { ($0 as? CryptoError)?.code == .invalidArgument }
  }

  @Test("a libcrypto refusal carries OpenSSL's reason")
  func libcryptoRefusal() {
    // N ≥ 2^(16·r) is valid by our checks but refused by OpenSSL (RFC 7914: N < 2^(128·r/8)).
    #expect {
      try Scrypt.deriveKey(password: [1], salt: [2], n: 1 << 16, r: 1, p: 1, length: 32)
    } throws: { error in
      guard let error = error as? CryptoError else { return false }
      // The call, its parameters, and OpenSSL's own "error:<code>:<library>::<reason>" string.
      return error.code == .libcryptoFailure && error.message.contains("EVP_KDF_derive(SCRYPT N=65536")
        && error.message.contains("error:") && error.message.contains("memory limit exceeded")
    }
  }
}
