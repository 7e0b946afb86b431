import RPC
import Testing

@Suite struct MetadataTests {
  @Test func keysAreCaseInsensitiveAndValuesLimited() {
    var metadata: Metadata = ["Authorization": "Bearer  abc.def "]
    #expect(metadata["authorization"] == "Bearer  abc.def ")
    #expect(metadata["AUTHORIZATION"] == "Bearer  abc.def ")
    #expect(metadata.map(\.key) == ["authorization"])
    #expect(metadata.bearerToken == "abc.def")
    // Keys beyond ASCII are lower-cased too.
    metadata["Ünit-Key"] = "1"
    #expect(metadata["ünit-key"] == "1")
    #expect(metadata["ÜNIT-KEY"] == "1")
    metadata["ünit-key"] = nil
    metadata["authorization"] = "Basic xyz"
    #expect(metadata.bearerToken == nil)
    metadata["x"] = String(repeating: "v", count: Metadata.maxValueLength + 1)
    #expect(metadata.limitViolation() != nil)
  }

  @Test(arguments: [
    ("Bearer pss_abc", "pss_abc"),
    ("bEaReR  pss_abc  ", "pss_abc"),
    ("Bearer x\r\n", "x\r\n"),
    ("Bearer    ", ""),
    ("Bearer é", "é"),
  ])
  func bearerTokenFollowsTheScheme(value: String, token: String) {
    let metadata: Metadata = ["authorization": value]
    #expect(metadata.bearerToken == token)
  }

  @Test(arguments: ["Bearer ", "Bearer", "Bearerx abc", "Bearer\u{0}abc", "Basic abc", "Bearer \u{301}x", " Bearer abc"])
  func valuesWithoutABearerTokenHaveNone(value: String) {
    let metadata: Metadata = ["authorization": value]
    #expect(metadata.bearerToken == nil)
  }

  /// The byte reading of ASCII values agrees with the character reading on every value of up to
  /// three pieces: scheme spellings and near misses, spaces, CR and LF (one character together),
  /// NUL, tab, DEL, and pieces beyond ASCII (a combining mark joins the space before it).
  @Test func bearerTokenByBytesAgreesWithCharacters() {
    let pieces = [
      "", "Bearer", "bearer", "BEARER", "BeArEr", "Bearer ", "bearer  ", " ", "  ", "x", "abc.def",
      "\r", "\n", "\r\n", "\u{0}", "\t", "\u{7F}", "@", "[", "é", "\u{301}", "Basic ",
    ]
    var mismatches: [String] = []
    for first in pieces {
      for second in pieces {
        for third in pieces {
          let value = first + second + third
          if Metadata.bearerToken(in: value) != Metadata.unicodeBearerToken(in: value) {
            mismatches.append(value)
          }
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5).map { $0.debugDescription })")
  }
}
