import CryptoPrimitives
import Testing

@Suite("SHA256")
struct SHA256Tests {
  @Test("FIPS 180-2 / NIST vectors", arguments: [
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func vectors(message: String, digest: String) {
    // The array, string and generic entry points agree, the empty message included.
    #expect(SHA256.hash(Array(message.utf8)) == TestBytes.hex(digest))
    #expect(SHA256.hash(message.utf8) == TestBytes.hex(digest))
    #expect(SHA256.hash(Array(message.utf8)[...]) == TestBytes.hex(digest))
    #expect(SHA256.hexDigest(message.utf8) == digest)
  }

  @Test("one million 'a's (NIST long message)")
  func millionA() {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(
      SHA256.hexDigest(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test("non-contiguous collections hash like their bytes")
  func nonContiguous() {
    let message = Array("abc".utf8)
    let lazy = message.lazy.map { $0 }
    #expect(SHA256.hash(lazy) == SHA256.hash(message))
    #expect(SHA256.hash(message[1...]) == SHA256.hash(Array("bc".utf8)))
    #expect(SHA256.digestLength == 32)
  }
}
