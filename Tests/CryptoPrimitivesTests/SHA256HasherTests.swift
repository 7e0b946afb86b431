import CryptoPrimitives
import Testing

@Suite("SHA256.Hasher")
struct SHA256HasherTests {
  @Test("pieces of any size digest like the whole", arguments: [1, 7, 64, 1_000, 250_000])
  func pieces(size: Int) {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    let hasher = SHA256.Hasher()
    var start = 0
    while start < message.count {
      let end = min(start + size, message.count)
      hasher.update(message[start..<end])
      start = end
    }
    #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test("nothing, and empty pieces, digest like the empty message")
  func empty() {
    let hasher = SHA256.Hasher()
    hasher.update([UInt8]())
    #expect(hasher.finalize() == SHA256.hash([UInt8]()))
  }
}
