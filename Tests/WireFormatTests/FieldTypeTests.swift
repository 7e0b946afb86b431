internal import Foundation
internal import Testing
internal import WireFormat

@Suite("FieldType")
struct FieldTypeTests {
  static let types: [FieldType] = [
    .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float, .double,
    .string, .bytes, .timestamp, .uuid, .message("Health.CheckRequest"), .message("Page<Swift.Int,M.User>"),
    .array(.int64), .array(.array(.message("Point"))), .map(key: .string, value: .int64),
    .map(key: .uint8, value: .map(key: .int64, value: .array(.uuid))),
    .array(.map(key: .string, value: .message("a.b.c"))),
  ]

  @Test("type strings", arguments: [
    (FieldType.int64, "int64"), (.uint8, "uint8"), (.timestamp, "timestamp"), (.bytes, "bytes"),
    (.array(.string), "[string]"), (.map(key: .string, value: .array(.uuid)), "{string:[uuid]}"),
    (.message("Health.CheckRequest"), "Health.CheckRequest"), (.enumeration("Status"), "Status"),
    (.array(.map(key: .int32, value: .message("P"))), "[{int32:P}]"),
  ])
  func descriptions(_ type: FieldType, _ text: String) {
    #expect(type.description == text)
  }

  @Test("every type string parses back to its type", arguments: types)
  func parseRoundTrip(_ type: FieldType) throws {
    #expect(try FieldType(parsing: type.description) == type)
  }

  @Test("Codable as its type string, through JSON and the binary encoding", arguments: types)
  func codable(_ type: FieldType) throws {
    let json = try JSONEncoder().encode([type])
    #expect(String(decoding: json, as: UTF8.self) == "[\"\(type.description)\"]")
    #expect(try JSONDecoder().decode([FieldType].self, from: json) == [type])
    #expect(try roundTrip(type) == type)
  }

  @Test("names parse as messages; a SchemaSet turns its enum names into enumerations")
  func enumNames() throws {
    #expect(try FieldType(parsing: "Status") == .message("Status"))
  }

  @Test("malformed type strings are rejected with a reason", arguments: [
    "", "[", "[]", "[int64", "int64]", "{", "{}", "{string}", "{string:}", "{:int64}",
    "{float:int64}", "{bytes:string}", "{Point:int64}", "{[string]:int64}", "{string:int64",
    "a b", "a:b", "{string:[int64}", "int64 ", " int64", "[ int64]",
  ])
  func parseErrors(_ text: String) throws {
    let error = try #require(throws: WireFormatError.self) { try FieldType(parsing: text) }
    #expect(error.code == .unknownType)
    #expect(error.description.contains("'\(text)'"))
  }

  @Test("a bad type string inside JSON is a decoding error")
  func badJSON() throws {
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([FieldType].self, from: Data(#"["{float:int64}"]"#.utf8))
    }
  }
}
