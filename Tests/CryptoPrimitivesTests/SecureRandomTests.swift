import CryptoPrimitives
import Testing

@Suite("SecureRandom")
struct SecureRandomTests {
  @Test("bytes has the requested length and is not constant", arguments: [0, 1, 16, 32, 1000])
  func lengths(count: Int) throws {
    let bytes = try SecureRandom.bytes(count)
    #expect(bytes.count == count)
    if count >= 16 {
      #expect(Set(bytes).count > 1)
      #expect(try SecureRandom.bytes(count) != bytes)
    }
  }

  @Test("negative count is an error")
  func negativeCount() {
    #expect {
      try SecureRandom.bytes(-1)
    } throws: { ($0 as? CryptoError)?.code == .invalidArgument }
  }

  @Test("tokens default to 32 bytes and refuse to be short")
  func tokens() throws {
    #expect(try SecureRandom.token().count == 32)
    #expect(try SecureRandom.token(bytes: 16).count == 16)
    #expect {
      try SecureRandom.token(bytes: 8)
    } throws: { ($0 as? CryptoError)?.code == .invalidArgument }
  }

  @Test("six-digit codes are six ASCII digits")
  func codeShape() throws {
    for _ in 0..<200 {
      let code = try SecureRandom.sixDigitCode()
      #expect(code.utf8.count == 6)
      #expect(code.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    }
  }

  /// 10,000 codes: every digit position must show every digit, and the counts of leading digits must pass
  /// a chi-square test with 9 degrees of freedom at p = 0.0001 (critical value 33.7). A biased or
  /// truncated generator (say, codes never starting with 9, or always padded with zeros) fails.
  @Test("codes show no obvious bias")
  func codeDistribution() throws {
    let sampleCount = 10_000
    var counts = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 6)
    var distinct = Set<String>()
    for _ in 0..<sampleCount {
      let code = try SecureRandom.sixDigitCode()
      distinct.insert(code)
      for (position, digit) in code.utf8.enumerated() {
        counts[position][Int(digit - UInt8(ascii: "0"))] += 1
      }
    }
    // Duplicates among 10,000 draws from 10^6 are expected (~50), but not many.
    #expect(distinct.count > sampleCount - 200)
    let expected = Double(sampleCount) / 10
    for (position, digits) in counts.enumerated() {
      #expect(digits.allSatisfy { $0 > 0 }, "position \(position): \(digits)")
      let chiSquare = digits.reduce(0.0) { sum, count in
        let difference = Double(count) - expected
        return sum + difference * difference / expected
      }
      #expect(chiSquare < 33.7, "position \(position): chi-square \(chiSquare) for \(digits)")
    }
  }
}
