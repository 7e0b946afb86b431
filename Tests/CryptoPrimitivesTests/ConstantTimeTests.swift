import CryptoPrimitives
import Testing

@Suite("ConstantTime")
struct ConstantTimeTests {
  @Test("equal, different, and different-length inputs")
  func equality() {
    #expect(ConstantTime.equals([], []))
    #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
    #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
    #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
    #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
    #expect(!ConstantTime.equals([], [0]))
  }
}
