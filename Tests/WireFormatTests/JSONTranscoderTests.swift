internal import Foundation
internal import Testing
internal import WireFormat

/// Integer extremes of every width, for exact 64-bit JSON numbers.
struct Extremes: Codable, Hashable, Sendable {
  var int8: Int8
  var uint8: UInt8
  var int16: Int16
  var uint16: UInt16
  var int32: Int32
  var uint32: UInt32
  var int64: Int64
  var uint64: UInt64
  var smallMap: [Int8: UInt8]
  var bigMap: [UInt64: Int64]

  enum CodingKeys: Int, CodingKey {
    case int8 = 1, uint8, int16, uint16, int32, uint32, int64, uint64, smallMap, bigMap
  }

  static let minimum = Extremes(
    int8: .min, uint8: 0, int16: .min, uint16: 0, int32: .min, uint32: 0, int64: .min, uint64: 0,
    smallMap: [.min: 0, -1: 1, 0: 2], bigMap: [0: .min])
  static let maximum = Extremes(
    int8: .max, uint8: .max, int16: .max, uint16: .max, int32: .max, uint32: .max, int64: .max,
    uint64: .max, smallMap: [.max: .max], bigMap: [.max: .max, 1: -1])
}

/// A message holding every kind of value the transcoder handles, nested.
struct Catalog: Codable, Hashable, Sendable {
  var profiles: [Profile]
  var byName: [String: Named]
  var trees: [Int32: Node]
  var settings: Settings?
  var extremes: [Extremes]
  var grid: [[Point]]
  var optionals: Optionals

  enum CodingKeys: Int, CodingKey {
    case profiles = 1, byName, trees, settings, extremes, grid, optionals
  }

  static let sample = Catalog(
    profiles: [Profile.sample, Profile.sample],
    byName: ["x": Named(title: "x", count: 3), "é": Named(title: "", count: -1)],
    trees: [7: Node(value: 1, child: Node.chain(depth: 3), children: [Node(value: 2)]), -2: Node(value: 0)],
    settings: Settings(limits: ["b": 2, "a": -1], status: .active, at: Date(timeIntervalSince1970: 1.5), ratio: 1, level: 1.5),
    extremes: [.minimum, .maximum],
    grid: [[Point(x: 1, y: 2)], [], [Point(x: -3, y: 4), Point(x: 5, y: -6)]],
    optionals: Optionals(int: 1, string: "s", point: nil, list: [], map: ["k": 0], status: .deleted, date: nil, uuid: UUID(uuidString: "00000000-0000-0000-0000-0000000000FF"), data: Data([9])))
}

@Suite("JSONTranscoder")
struct JSONTranscoderTests {
  static func transcoder(for types: any Decodable.Type...) throws -> JSONTranscoder {
    var schema = SchemaSet()
    for type in types {
      try schema.add(type)
    }
    return JSONTranscoder(schema: schema)
  }

  static func json(_ data: Data) -> String {
    String(decoding: data, as: UTF8.self)
  }

  /// Binary → JSON → binary must give back the BinaryEncoder bytes, and decode to the value.
  private func checkByteEquality<T: Codable & Equatable>(_ value: T, as name: String) throws {
    let transcoder = try Self.transcoder(for: T.self)
    let bytes = try BinaryEncoder().encode(value)
    let json = try transcoder.decode(bytes, as: name)
    let again = try transcoder.encode(json: json, as: name)
    #expect(hex(again) == hex(bytes), "\(Self.json(json))")
    #expect(try BinaryDecoder().decode(T.self, from: again) == value)
    // The JSON output is deterministic: decoding the same bytes again gives the same text.
    #expect(try transcoder.decode(again, as: name) == json)
  }

  @Test("byte-identical to BinaryEncoder: the rich sample message")
  func profileBytes() throws {
    try checkByteEquality(Profile.sample, as: "Profile")
  }

  @Test("byte-identical to BinaryEncoder: every scalar at its extremes", arguments: [Scalars.zero, .minimum, .maximum])
  func scalarBytes(_ value: Scalars) throws {
    try checkByteEquality(value, as: "Scalars")
  }

  @Test("byte-identical to BinaryEncoder: integer extremes and integer-keyed maps", arguments: [Extremes.minimum, .maximum])
  func extremesBytes(_ value: Extremes) throws {
    try checkByteEquality(value, as: "Extremes")
  }

  @Test("byte-identical to BinaryEncoder: nested catalog, recursion, named fields, optionals")
  func catalogBytes() throws {
    try checkByteEquality(Catalog.sample, as: "Catalog")
    try checkByteEquality(Optionals(), as: "Optionals")
    try checkByteEquality(Node.chain(depth: 20), as: "Node")
    try checkByteEquality(Named(title: "héllo\n\"quoted\"\u{1}", count: .min), as: "Named")
  }

  @Test("hand-written JSON, in any member order, encodes like the Swift value")
  func handWritten() throws {
    let transcoder = try Self.transcoder(for: Settings.self, Example.self)
    let json = #"""
      { "level": 1.5, "ratio": 1, "status": "active",
        "at": "1970-01-01T01:00:01.5+01:00", "limits": {"b": 2, "a": -1, "b": 2} }
      """#
    let expected = Settings(
      limits: ["a": -1, "b": 2], status: .active, at: Date(timeIntervalSince1970: 1.5), ratio: 1, level: 1.5)
    #expect(try transcoder.encode(json: Data(json.utf8), as: "Settings") == BinaryEncoder().encode(expected))
    let example = #"{"tags":["a","bc"],"ratio":null,"origin":{"y":0,"x":150},"name":"hi"}"#
    #expect(
      hex(try transcoder.encode(json: Data(example.utf8), as: "Example"))
        == "0A 02 68 69 12 05 08 AC 02 10 00 1A 05 01 61 02 62 63")
  }

  @Test("JSON output, exactly")
  func output() throws {
    let transcoder = try Self.transcoder(for: Settings.self, Example.self, Named.self, Optionals.self)
    let settings = Settings(
      limits: ["b": 2, "a": -1], status: .active, at: Date(timeIntervalSince1970: 1.5), ratio: 1, level: 1.5)
    #expect(
      Self.json(try transcoder.decode(BinaryEncoder().encode(settings), as: "Settings"))
        == #"{"limits":{"a":-1,"b":2},"status":"active","at":"1970-01-01T00:00:01.500000Z","ratio":1.0,"level":1.5}"#)
    let example = Example(name: "hi", origin: Point(x: 150, y: 0), tags: ["a", "bc"], ratio: nil)
    #expect(
      Self.json(try transcoder.decode(BinaryEncoder().encode(example), as: "Example"))
        == #"{"name":"hi","origin":{"x":150,"y":0},"tags":["a","bc"]}"#)
    #expect(
      Self.json(try transcoder.decode(BinaryEncoder().encode(Named(title: "a\"b\\c\n\u{7}", count: 0)), as: "Named"))
        == #"{"title":"a\"b\\c\n\u0007","count":0}"#)
    let optionals = Optionals(
      date: Date(timeIntervalSince1970: 1_795_435_200), uuid: UUID(uuidString: "e621e1f8-c36c-495a-93fc-0c247a3e6e5f"),
      data: Data([0xFF, 0x00, 0x10]))
    #expect(
      Self.json(try transcoder.decode(BinaryEncoder().encode(optionals), as: "Optionals"))
        == #"{"date":"2026-11-23T12:00:00Z","uuid":"E621E1F8-C36C-495A-93FC-0C247A3E6E5F","data":"/wAQ"}"#)
  }

  @Test("64-bit integers are exact both ways")
  func exactIntegers() throws {
    let transcoder = try Self.transcoder(for: Extremes.self)
    let json = Self.json(try transcoder.decode(BinaryEncoder().encode(Extremes.maximum), as: "Extremes"))
    #expect(json.contains(#""int64":9223372036854775807"#))
    #expect(json.contains(#""uint64":18446744073709551615"#))
    #expect(json.contains(#""bigMap":{"1":-1,"18446744073709551615":9223372036854775807}"#))
    let minimum = Self.json(try transcoder.decode(BinaryEncoder().encode(Extremes.minimum), as: "Extremes"))
    #expect(minimum.contains(#""int64":-9223372036854775808"#))
    #expect(minimum.contains(#""smallMap":{"-128":0,"-1":1,"0":2}"#))
  }

  @Test("non-finite floats are strings")
  func nonFinite() throws {
    let transcoder = try Self.transcoder(for: Scalars.self)
    let json = Self.json(try transcoder.decode(BinaryEncoder().encode(Scalars.maximum), as: "Scalars"))
    #expect(json.contains(#""float":"Infinity""#))
    var nan = Scalars.zero
    nan.double = .nan
    let nanJSON = try transcoder.decode(BinaryEncoder().encode(nan), as: "Scalars")
    #expect(Self.json(nanJSON).contains(#""double":"NaN""#))
    let decoded = try BinaryDecoder().decode(Scalars.self, from: transcoder.encode(json: nanJSON, as: "Scalars"))
    #expect(decoded.double.isNaN)
  }

  // MARK: Errors

  private func encodeError(_ json: String, as name: String = "Example") throws -> WireFormatError {
    let transcoder = try Self.transcoder(for: Example.self, Extremes.self, Scalars.self, Profile.self)
    return try #require(throws: WireFormatError.self) { try transcoder.encode(json: Data(json.utf8), as: name) }
  }

  @Test("JSON errors name the field path", arguments: [
    (#"{"name":"hi","origin":{"x":1,"y":2},"tags":[],"bogus":1}"#, WireFormatError.Code.unknownField, "bogus"),
    (#"{"name":"hi","origin":{"x":1,"y":2,"z":3},"tags":[]}"#, .unknownField, "origin.z"),
    (#"{"name":"hi","origin":{"x":1},"tags":[]}"#, .missingRequiredField, "origin.y"),
    (#"{"name":"hi","origin":{"x":1,"y":null},"tags":[]}"#, .missingRequiredField, "origin.y"),
    (#"{"name":"hi","origin":5,"tags":[]}"#, .typeMismatch, "origin"),
    (#"{"name":7,"origin":{"x":1,"y":2},"tags":[]}"#, .typeMismatch, "name"),
    (#"{"name":"hi","origin":{"x":1.5,"y":2},"tags":[]}"#, .typeMismatch, "origin.x"),
    (#"{"name":"hi","origin":{"x":"1","y":2},"tags":[]}"#, .typeMismatch, "origin.x"),
    (#"{"name":"hi","origin":{"x":9223372036854775808,"y":2},"tags":[]}"#, .valueOutOfRange, "origin.x"),
    (#"{"name":"hi","origin":{"x":1,"y":2},"tags":["a",null]}"#, .unsupported, "tags[1]"),
    (#"{"name":"hi","origin":{"x":1,"y":2},"tags":["a",2]}"#, .typeMismatch, "tags[1]"),
    (#"{"name":"hi","origin":{"x":1,"y":2},"tags":[],"ratio":"fast"}"#, .typeMismatch, "ratio"),
    (#"{"name":"hi","origin":{"x":1,"y":2},"tags":[],"ratio":1e999}"#, .valueOutOfRange, "ratio"),
    (#"[1]"#, .typeMismatch, ""),
  ])
  func encodeErrors(_ json: String, _ code: WireFormatError.Code, _ path: String) throws {
    let error = try encodeError(json)
    #expect(error.code == code, "\(error)")
    #expect(error.codingPath == path, "\(error)")
  }

  @Test("out-of-range integers for every width")
  func integerRanges() throws {
    let valid = #"{"int8":0,"uint8":0,"int16":0,"uint16":0,"int32":0,"uint32":0,"int64":0,"uint64":0,"smallMap":{},"bigMap":{}}"#
    let transcoder = try Self.transcoder(for: Extremes.self)
    _ = try transcoder.encode(json: Data(valid.utf8), as: "Extremes")
    let cases = [
      ("int8", "128"), ("int8", "-129"), ("uint8", "256"), ("uint8", "-1"), ("int16", "32768"),
      ("uint16", "65536"), ("int32", "2147483648"), ("uint32", "4294967296"),
      ("int64", "-9223372036854775809"), ("uint64", "18446744073709551616"),
    ]
    for (field, number) in cases {
      let json = valid.replacingOccurrences(of: #""\#(field)":0"#, with: #""\#(field)":\#(number)"#)
      let error = try #require(throws: WireFormatError.self) { try transcoder.encode(json: Data(json.utf8), as: "Extremes") }
      #expect(error.code == .valueOutOfRange, "\(field) \(number)")
      #expect(error.codingPath == field)
    }
    let badKey = valid.replacingOccurrences(of: #""smallMap":{}"#, with: #""smallMap":{"300":1}"#)
    let keyError = try #require(throws: WireFormatError.self) { try transcoder.encode(json: Data(badKey.utf8), as: "Extremes") }
    #expect(keyError.code == .valueOutOfRange)
    #expect(keyError.codingPath == "smallMap[300]")
    let wordKey = valid.replacingOccurrences(of: #""smallMap":{}"#, with: #""smallMap":{"one":1}"#)
    #expect(throws: WireFormatError.self) { try transcoder.encode(json: Data(wordKey.utf8), as: "Extremes") }
  }

  @Test("bad strings for bytes, UUIDs, timestamps and enums")
  func badStrings() throws {
    let transcoder = try Self.transcoder(for: Optionals.self)
    for (json, path) in [
      (#"{"data":"not base64!"}"#, "data"), (#"{"uuid":"E621E1F8"}"#, "uuid"),
      (#"{"date":"2026-02-30T00:00:00Z"}"#, "date"), (#"{"status":"gone"}"#, "status"),
      (#"{"status":1}"#, "status"),
    ] {
      let error = try #require(throws: WireFormatError.self) { try transcoder.encode(json: Data(json.utf8), as: "Optionals") }
      #expect(error.codingPath == path, "\(json): \(error)")
      #expect(error.code == .invalidValue || error.code == .typeMismatch, "\(json): \(error)")
    }
  }

  @Test("unknown message names and invalid JSON")
  func unknownAndInvalid() throws {
    let transcoder = try Self.transcoder(for: Example.self)
    #expect(throws: WireFormatError.self) { try transcoder.encode(json: Data("{}".utf8), as: "Nope") }
    #expect(throws: WireFormatError.self) { try transcoder.decode([], as: "Nope") }
    let invalid = [
      "", "{", #"{"name":}"#, #"{"name":"hi",}"#, "[1,]", "01", "1.", "-", "+1", #"{"a" 1}"#,
      #""\ud800""#, #""\udc00""#, "\"\u{1}\"", #""\x""#, "nul", "{} {}", "[" + String(repeating: "[", count: 300) + "]",
    ]
    for text in invalid {
      let error = try #require(throws: WireFormatError.self) { try transcoder.encode(json: Data(text.utf8), as: "Example") }
      #expect(error.code == .invalidJSON, "\(text): \(error)")
    }
    let badUTF8 = try #require(throws: WireFormatError.self) { try transcoder.encode(json: Data([0x22, 0xFF, 0x22]), as: "Example") }
    #expect(badUTF8.code == .invalidJSON)
  }

  @Test("string escapes and surrogate pairs")
  func escapes() throws {
    let transcoder = try Self.transcoder(for: Named.self)
    let json = #"{"title":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","count":1}"#
    let bytes = try transcoder.encode(json: Data(json.utf8), as: "Named")
    #expect(try BinaryDecoder().decode(Named.self, from: bytes) == Named(title: "\"\\/\u{8}\u{c}\n\r\té😀", count: 1))
  }

  @Test("decoding checks the bytes as BinaryDecoder does")
  func decodeErrors() throws {
    let transcoder = try Self.transcoder(for: Settings.self, Example.self)
    let settings = Settings(limits: [:], status: .active, at: Date(timeIntervalSince1970: 0), ratio: 0, level: 0)
    var bytes = try BinaryEncoder().encode(settings)
    // status = 8 (zig-zag 16): no such case.
    let status = try #require(bytes.firstIndex(of: 0x10))
    bytes[status + 1] = 0x10
    let unknown = try #require(throws: WireFormatError.self) { try transcoder.decode(bytes, as: "Settings") }
    #expect(unknown.code == .unknownEnumValue)
    #expect(unknown.codingPath == "status")
    let missing = try #require(throws: WireFormatError.self) { try transcoder.decode(hex("0A 02 68 69 12 02 08 02"), as: "Example") }
    #expect(missing.code == .missingRequiredField)
    #expect(missing.codingPath == "origin.y")
    let wrongType = try #require(throws: WireFormatError.self) { try transcoder.decode(hex("08 02"), as: "Example") }
    #expect(wrongType.code == .wrongWireType)
    #expect(wrongType.codingPath == "name")
    let good = try BinaryEncoder().encode(Catalog.sample)
    let catalog = try Self.transcoder(for: Catalog.self)
    for length in stride(from: 0, to: good.count, by: 7) {
      #expect(throws: WireFormatError.self) { try catalog.decode(Array(good.prefix(length)), as: "Catalog") }
    }
  }

  @Test("unknown fields in the bytes are skipped, like BinaryDecoder")
  func skipsUnknown() throws {
    let transcoder = try Self.transcoder(for: SchemaEvolutionTests.Old.self)
    let bytes = try BinaryEncoder().encode(SchemaEvolutionTests.New())
    #expect(Self.json(try transcoder.decode(bytes, as: "SchemaEvolutionTests.Old")) == #"{"id":7,"name":"seven"}"#)
  }

  @Test("a schema that went over the wire transcodes the same")
  func schemaOverTheWire() throws {
    let local = try Self.transcoder(for: Catalog.self)
    let remote = JSONTranscoder(schema: try roundTrip(local.schema))
    let bytes = try BinaryEncoder().encode(Catalog.sample)
    let json = try remote.decode(bytes, as: "Catalog")
    #expect(json == (try local.decode(bytes, as: "Catalog")))
    #expect(try remote.encode(json: json, as: "Catalog") == bytes)
  }
}
