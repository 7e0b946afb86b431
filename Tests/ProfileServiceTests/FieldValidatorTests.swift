@testable import ProfileService
import RPC
import Testing

@Suite struct FieldValidatorTests {
  @Test(arguments: [
    ("Ada", nil),
    ("", "must have 1 to 8 characters"),
    ("abcdefghi", "must have 1 to 8 characters"),
    ("   ", "must not be blank"),
    ("a\u{7}b", "must not contain control characters"),
    ("a\tb", "must not contain control characters"),
    ("a\u{7F}", "must not contain control characters"),
    ("a\u{200B}b", "must not contain control characters"),
    ("Zoë", nil),
    ("\u{3000}\u{A0}", "must not be blank"),
    ("👩‍👩‍👧", nil),
    // One character of 81 bytes: the size is bounded as well as the count.
    ("a" + String(repeating: "\u{301}", count: 40), "must have 1 to 8 characters and at most 32 bytes in UTF-8"),
    ("漢字漢字漢字漢字", nil),
    ("😀😀😀😀😀😀😀😀", nil),
  ] as [(String, String?)])
  func textProblems(value: String, problem: String?) {
    #expect(FieldValidator.textProblem(value, length: 1...8) == problem)
    var validator = FieldValidator()
    validator.text("name", value, length: 1...8)
    #expect(validator.violations.map(\.description) == (problem.map { [$0] } ?? []))
  }

  /// The printable-ASCII shortcut answers exactly as the Unicode rules do, on every text of up
  /// to 3 pieces: ASCII edge bytes, spaces, non-ASCII letters and spaces, joiners,
  /// multi-scalar characters.
  @Test func shortcutAgreesWithTheUnicodeRules() {
    let pieces = [
      " ", "a", "~", "!", "\u{7F}", "\u{1F}", "\t", "\r\n", "é", "e\u{301}", "\u{200D}", "\u{200B}",
      "\u{A0}", "👍", "🇸🇪",
    ]
    var texts = [""]
    var shorter = [""]
    for _ in 1...3 {
      shorter = shorter.flatMap { prefix in pieces.map { prefix + $0 } }
      texts += shorter
    }
    #expect(texts.count == 1 + 15 + 225 + 3_375)
    for value in texts {
      for range in [1...2, 0...2, 2...3] {
        #expect(
          FieldValidator.textProblem(value, length: range) == FieldValidator.unicodeTextProblem(value, length: range),
          "\(Array(value.unicodeScalars)) in \(range)")
      }
    }
  }
}
