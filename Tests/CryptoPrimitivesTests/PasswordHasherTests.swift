import CryptoPrimitives
import Testing

@Suite("PasswordHasher")
struct PasswordHasherTests {
  /// Cheap parameters (1 MiB, about a millisecond) so the suite stays fast.
  static let cheap = PasswordHasher(parameters: .init(logN: 10, r: 8, p: 1))

  static func isMalformed(_ error: any Error) -> Bool {
    (error as? CryptoError)?.code == .malformedPasswordHash
  }

  static func isOutOfRange(_ error: any Error) -> Bool {
    (error as? CryptoError)?.code == .parametersOutOfRange
  }

  @Test("hash has the documented shape and verifies")
  func roundTrip() throws {
    let stored = try Self.cheap.hash("correct horse battery staple")
    let fields = stored.split(separator: "$", omittingEmptySubsequences: false)
    #expect(fields.count == 5)
    #expect(stored.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
    #expect(fields[3].count == 22)  // 16 bytes, unpadded Base64
    #expect(fields[4].count == 43)  // 32 bytes, unpadded Base64
    #expect(try Self.cheap.verify("correct horse battery staple", against: stored))
  }

  @Test("a wrong password is false, not an error")
  func wrongPassword() throws {
    let stored = try Self.cheap.hash("hunter2")
    #expect(try !Self.cheap.verify("hunter3", against: stored))
    #expect(try !Self.cheap.verify("", against: stored))
    #expect(try !Self.cheap.verify("Hunter2", against: stored))
  }

  @Test("each hash gets its own salt")
  func distinctSalts() throws {
    let first = try Self.cheap.hash("same password")
    let second = try Self.cheap.hash("same password")
    #expect(first != second)
    #expect(try Self.cheap.verify("same password", against: first))
    #expect(try Self.cheap.verify("same password", against: second))
  }

  @Test("the recommended parameters work end to end")
  func recommended() throws {
    let hasher = PasswordHasher()
    #expect(hasher.parameters == .init(logN: 15, r: 8, p: 1))
    let stored = try hasher.hash("pässwörd ✓")
    #expect(stored.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
    #expect(try hasher.verify("pässwörd ✓", against: stored))
    #expect(!hasher.needsRehash(stored))
  }

  @Test("verification uses the stored parameters, so old hashes survive a parameter rise")
  func storedParametersWin() throws {
    let stored = try Self.cheap.hash("pw")
    let stronger = PasswordHasher(parameters: .init(logN: 11, r: 8, p: 2))
    #expect(try stronger.verify("pw", against: stored))
  }

  /// RFC 7914 §12 vector 3 written as a hash string: the format carries raw scrypt output, so hashes
  /// made elsewhere (e.g. passlib's `$scrypt$`) verify here.
  @Test("a known-answer hash string from RFC 7914 vector 3 verifies")
  func knownAnswer() throws {
    let stored =
      "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$"
      + "cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw"
    #expect(try Self.cheap.verify("pleaseletmein", against: stored))
    #expect(try !Self.cheap.verify("pleaseletmeout", against: stored))
  }

  @Test("needsRehash when any parameter rises, not when it falls")
  func needsRehash() throws {
    let stored = try Self.cheap.hash("pw")
    #expect(!Self.cheap.needsRehash(stored))
    #expect(PasswordHasher(parameters: .init(logN: 11, r: 8, p: 1)).needsRehash(stored))
    #expect(PasswordHasher(parameters: .init(logN: 10, r: 16, p: 1)).needsRehash(stored))
    #expect(PasswordHasher(parameters: .init(logN: 10, r: 8, p: 2)).needsRehash(stored))
    #expect(!PasswordHasher(parameters: .init(logN: 9, r: 8, p: 1)).needsRehash(stored))
    #expect(Self.cheap.needsRehash("not a hash"))
    // A short salt is weaker than what new hashes use.
    #expect(Self.cheap.needsRehash("$scrypt$ln=10,r=8,p=1$AAAAAAAAAAA$" + String(repeating: "A", count: 43)))
  }

  @Test(
    "malformed stored strings are errors, not false",
    arguments: [
      "",
      "plain text",
      "$scrypt$",
      "$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA",  // no key
      "$argon2id$v=19$m=65536,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$r=8,ln=10,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=10,r=8$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=10,r=8,p=1,x=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=010,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=-1,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=99999999999999999999,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=10,r=8,p=1$AAAA*AAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$scrypt$ln=10,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // 3-byte salt
      "$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAA",  // 6-byte key
      "$scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$",
      "$scrypt$ln=10,r=8,p=1$" + String(repeating: "A", count: 400) + "$AAAA",
    ])
  func malformed(stored: String) {
    #expect {
      try Self.cheap.verify("pw", against: stored)
    } throws: { Self.isMalformed($0) }
  }

  @Test(
    "absurd parameters in a stored string are refused before any allocation",
    arguments: [
      "ln=23,r=8,p=1",  // above maximumLogN
      "ln=60,r=1,p=1",
      "ln=22,r=8,p=1",  // 4 GiB
      "ln=20,r=8,p=1",  // 1 GiB
      "ln=10,r=33,p=1",
      "ln=10,r=8,p=17",
      "ln=0,r=8,p=1",
      "ln=10,r=0,p=1",
      "ln=10,r=8,p=0",
    ])
  func absurdParameters(parameters: String) {
    let stored =
      "$scrypt$\(parameters)$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    #expect {
      try Self.cheap.verify("pw", against: stored)
    } throws: { Self.isOutOfRange($0) }
  }

  @Test("a hasher with absurd parameters refuses to hash")
  func absurdHasher() {
    #expect {
      try PasswordHasher(parameters: .init(logN: 30, r: 8, p: 1)).hash("pw")
    } throws: { Self.isOutOfRange($0) }
  }
}
