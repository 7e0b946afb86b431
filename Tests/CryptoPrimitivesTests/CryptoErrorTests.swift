import CryptoPrimitives
import Testing

@Suite("CryptoError")
struct CryptoErrorTests {
  static let codes: [CryptoError.Code] = [
    .invalidArgument, .libcryptoFailure, .authenticationFailed, .truncatedInput, .unsupportedVersion,
    .invalidEncoding, .malformedPasswordHash, .parametersOutOfRange, .fileSystem, .keyFileWrongSize,
    .keyFileInsecure,
  ]

  @Test("codes are distinct and describe themselves distinctly")
  func distinctCodes() {
    #expect(Set(Self.codes).count == Self.codes.count)
    #expect(Set(Self.codes.map(\.description)).count == Self.codes.count)
  }

  @Test("the description leads with the code and carries the message")
  func description() throws {
    let error = try #require(throws: CryptoError.self) {
      try AESGCM.open([1, 2, 3], key: [UInt8](repeating: 0, count: 32))
    }
    #expect(error.code == .truncatedInput)
    #expect(error.description == "truncated input: \(error.message)")
    #expect(error.message.contains("3 bytes"))
  }
}
