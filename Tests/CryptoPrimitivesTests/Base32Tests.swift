import CryptoPrimitives
import Testing

@Suite("Base32")
struct Base32Tests {
  /// RFC 4648 §10, without the padding our encoder omits.
  static let vectors: [(String, String, String)] = [
    ("", "", ""),
    ("f", "MY", "MY======"),
    ("fo", "MZXQ", "MZXQ===="),
    ("foo", "MZXW6", "MZXW6==="),
    ("foob", "MZXW6YQ", "MZXW6YQ="),
    ("fooba", "MZXW6YTB", "MZXW6YTB"),
    ("foobar", "MZXW6YTBOI", "MZXW6YTBOI======"),
  ]

  @Test("RFC 4648 vectors", arguments: vectors)
  func rfcVectors(plain: String, unpadded: String, padded: String) throws {
    #expect(Base32.encode(Array(plain.utf8)) == unpadded)
    #expect(try Base32.decode(unpadded) == Array(plain.utf8))
    #expect(try Base32.decode(padded) == Array(plain.utf8))
    #expect(try Base32.decode(padded.lowercased()) == Array(plain.utf8))
  }

  @Test("round trip of every byte value and length")
  func roundTrip() throws {
    let bytes = (0...255).map { UInt8($0) }
    for length in 0...bytes.count {
      let slice = Array(bytes.prefix(length))
      #expect(try Base32.decode(Base32.encode(slice)) == slice)
    }
  }

  @Test(
    "bad input is an error",
    arguments: [
      "MZXW1",  // '1' is not in the alphabet
      "MZ XW6",  // whitespace is not skipped
      "MZXW6!",
      "M",  // one character encodes no byte
      "MZX",  // neither do three
      "MZXW6Y",  // nor six
      "MY=====",  // incomplete padding
      "MY=======",  // too much padding
      "MY==MY==",  // padding in the middle
      "MZ",  // non-zero unused bits ("f" is MY)
      "é",
    ])
  func badInput(text: String) {
    #expect {
      try Base32.decode(text)
    } throws: { error in
      (error as? CryptoError)?.code == .invalidEncoding
    }
  }
}
