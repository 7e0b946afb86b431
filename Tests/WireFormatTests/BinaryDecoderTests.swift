internal import Foundation
internal import Testing
internal import WireFormat

@Suite("BinaryDecoder round trips")
struct BinaryDecoderTests {
  @Test("every scalar type, at zero and at its extremes", arguments: [Scalars.zero, .minimum, .maximum])
  func scalars(_ value: Scalars) throws {
    #expect(try roundTrip(value) == value)
  }

  @Test("NaN and infinities survive, with their bit patterns")
  func specialFloatingPoint() throws {
    for double in [Double.nan, -.nan, .signalingNaN, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude] {
      let decoded = try roundTrip(double)
      #expect(decoded.bitPattern == double.bitPattern)
    }
    for float in [Float.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude] {
      let decoded = try roundTrip(float)
      #expect(decoded.bitPattern == float.bitPattern)
    }
  }

  @Test("the rich sample message")
  func profile() throws {
    #expect(try roundTrip(Profile.sample) == Profile.sample)
  }

  @Test("the worked examples")
  func examples() throws {
    #expect(try roundTrip(Point(x: 1, y: -2)) == Point(x: 1, y: -2))
    let example = Example(name: "hi", origin: Point(x: 150, y: 0), tags: ["a", "bc"], ratio: nil)
    #expect(try roundTrip(example) == example)
    #expect(try roundTrip(Named(title: "x", count: 3)) == Named(title: "x", count: 3))
    let settings = Settings(
      limits: ["b": 2, "a": -1], status: .active, at: Date(timeIntervalSince1970: 1.5),
      ratio: 1, level: 1.5)
    #expect(try roundTrip(settings) == settings)
  }

  @Test("optionals, all absent and all present")
  func optionals() throws {
    #expect(try roundTrip(Optionals()) == Optionals())
    let full = Optionals(
      int: -1, string: "", point: Point(x: 0, y: 0), list: [], map: [:], status: .deleted,
      date: Date(timeIntervalSince1970: -1.000_001), uuid: UUID(), data: Data())
    #expect(try roundTrip(full) == full)
  }

  @Test("top-level values of every shape")
  func topLevel() throws {
    #expect(try roundTrip(Int64.min) == .min)
    #expect(try roundTrip(Int64.max) == .max)
    #expect(try roundTrip(UInt64.max) == .max)
    #expect(try roundTrip("héllo") == "héllo")
    #expect(try roundTrip([[1, 2], [], [3]]) == [[1, 2], [], [3]])
    #expect(try roundTrip([[Point(x: 1, y: 2)], []]) == [[Point(x: 1, y: 2)], []])
    #expect(try roundTrip(["a": [1], "b": []]) == ["a": [1], "b": []])
    #expect(try roundTrip([UInt8.max: "x"]) == [UInt8.max: "x"])
    #expect(try roundTrip(Status.deleted) == .deleted)
    #expect(try roundTrip(Plan.enterprise) == .enterprise)
    let uuid = UUID()
    #expect(try roundTrip(uuid) == uuid)
    #expect(try roundTrip(Data([1, 2, 3])) == Data([1, 2, 3]))
  }

  @Test("maps with every integer key type")
  func integerKeys() throws {
    #expect(try roundTrip([Int8.min: 1, Int8.max: 2]) == [Int8.min: 1, Int8.max: 2])
    #expect(try roundTrip([Int16.min: 1]) == [Int16.min: 1])
    #expect(try roundTrip([Int32.min: 1]) == [Int32.min: 1])
    #expect(try roundTrip([Int64.min: 1, 0: 2]) == [Int64.min: 1, 0: 2])
    #expect(try roundTrip([UInt.max: true]) == [UInt.max: true])
    #expect(try roundTrip([UInt16.max: 1.5]) == [UInt16.max: 1.5])
    #expect(try roundTrip([UInt32.max: Point(x: 1, y: 1)]) == [UInt32.max: Point(x: 1, y: 1)])
    #expect(try roundTrip([UInt64.max: [1]]) == [UInt64.max: [1]])
  }

  @Test("dates are rounded to the nearest microsecond, so decode then encode is stable")
  func dateRounding() throws {
    let cases: [(Double, Double)] = [
      (1.000_000_4, 1.0), (1.000_000_6, 1.000_001), (-1.000_000_6, -1.000_001),
      (1_700_000_000.123_456_7, 1_700_000_000.123_457), (0.000_000_8, 0.000_001), (-0.000_000_3, 0),
    ]
    for (seconds, expected) in cases {
      let decoded = try roundTrip(Date(timeIntervalSince1970: seconds))
      #expect(abs(decoded.timeIntervalSince1970 - expected) < 1e-7, "\(seconds)")
      let bytes = try BinaryEncoder().encode(decoded)
      #expect(try BinaryEncoder().encode(try BinaryDecoder().decode(Date.self, from: bytes)) == bytes)
    }
  }

  @Test("a slice decodes in place, with its own indices")
  func slice() throws {
    let bytes = [0xAA, 0xBB] + (try BinaryEncoder().encode(Profile.sample)) + [0xCC]
    let decoded = try BinaryDecoder().decode(Profile.self, from: bytes[2..<(bytes.count - 1)])
    #expect(decoded == Profile.sample)
  }

  @Test("recursive types through optionals and arrays")
  func recursive() throws {
    let tree = Node(value: 1, child: Node.chain(depth: 10), children: [Node(value: 2), Node(value: 3, children: [Node(value: 4)])])
    #expect(try roundTrip(tree) == tree)
  }

  @Test("the last occurrence of a field wins")
  func lastWins() throws {
    // x=1, y=2, x=3
    #expect(try BinaryDecoder().decode(Point.self, from: hex("08 02 10 04 08 06")) == Point(x: 3, y: 2))
  }

  @Test("duplicate map keys: the last wins")
  func duplicateMapKeys() throws {
    // {"a": 1, "a": 2}
    #expect(try BinaryDecoder().decode([String: Int].self, from: hex("06 01 61 02 01 61 04")) == ["a": 2])
  }

  @Test("fields in any order")
  func anyOrder() throws {
    #expect(try BinaryDecoder().decode(Point.self, from: hex("10 03 08 02")) == Point(x: 1, y: -2))
  }

  @Test("non-minimal varints are accepted")
  func nonMinimalVarint() throws {
    #expect(try BinaryDecoder().decode(Point.self, from: hex("08 82 80 00 10 83 00")) == Point(x: 1, y: -2))
  }
}

@Suite("Schema evolution")
struct SchemaEvolutionTests {
  struct Old: Codable, Equatable {
    var id: Int
    var name: String

    enum CodingKeys: Int, CodingKey { case id = 1, name = 2 }
  }

  /// `Old` plus fields of every wire type, numbered and named.
  struct New: Codable, Equatable {
    var id: Int
    var extraDouble: Double
    var name: String
    var extraFloat: Float
    var extraMessage: Point
    var extraList: [String]
    var extraNamed: String
    var extraNamedNumber: Int
    var extraMap: [Int: Point]

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int?
      init(_ name: String, _ number: Int?) {
        stringValue = name
        intValue = number
      }
      init?(stringValue: String) { nil }
      init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(id, forKey: Key("id", 1))
      try container.encode(extraDouble, forKey: Key("extraDouble", 3))
      try container.encode(name, forKey: Key("name", 2))
      try container.encode(extraFloat, forKey: Key("extraFloat", 4))
      try container.encode(extraMessage, forKey: Key("extraMessage", 5))
      try container.encode(extraList, forKey: Key("extraList", 536_870_911))
      try container.encode(extraNamed, forKey: Key("extraNamed", nil))
      try container.encode(extraNamedNumber, forKey: Key("extraNamedNumber", nil))
      try container.encode(extraMap, forKey: Key("extraMap", 6))
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: Key.self)
      id = try container.decode(Int.self, forKey: Key("id", 1))
      extraDouble = try container.decode(Double.self, forKey: Key("extraDouble", 3))
      name = try container.decode(String.self, forKey: Key("name", 2))
      extraFloat = try container.decode(Float.self, forKey: Key("extraFloat", 4))
      extraMessage = try container.decode(Point.self, forKey: Key("extraMessage", 5))
      extraList = try container.decode([String].self, forKey: Key("extraList", 536_870_911))
      extraNamed = try container.decode(String.self, forKey: Key("extraNamed", nil))
      extraNamedNumber = try container.decode(Int.self, forKey: Key("extraNamedNumber", nil))
      extraMap = try container.decode([Int: Point].self, forKey: Key("extraMap", 6))
    }

    init() {
      id = 7
      extraDouble = .pi
      name = "seven"
      extraFloat = 2.5
      extraMessage = Point(x: 1, y: 2)
      extraList = ["a", "b"]
      extraNamed = "named"
      extraNamedNumber = -9
      extraMap = [1: Point(x: 3, y: 4)]
    }
  }

  /// `Old` plus optional fields, as a newer reader would declare them.
  struct Newer: Codable, Equatable {
    var id: Int
    var name: String
    var email: String?
    var tags: [String]?
    var location: Point?
    var status: Status?

    enum CodingKeys: Int, CodingKey { case id = 1, name, email, tags, location, status }
  }

  @Test("an older reader skips a newer writer's fields of every wire type, numbered and named")
  func newToOld() throws {
    let bytes = try BinaryEncoder().encode(New())
    #expect(try BinaryDecoder().decode(New.self, from: bytes) == New())
    #expect(try BinaryDecoder().decode(Old.self, from: bytes) == Old(id: 7, name: "seven"))
  }

  @Test("a newer reader sees an older writer's message with its new optional fields nil")
  func oldToNew() throws {
    let bytes = try BinaryEncoder().encode(Old(id: 1, name: "one"))
    let decoded = try BinaryDecoder().decode(Newer.self, from: bytes)
    #expect(decoded == Newer(id: 1, name: "one", email: nil, tags: nil, location: nil, status: nil))
  }

  @Test("a newer writer's optional fields round-trip and an older reader ignores them")
  func newerToOld() throws {
    let newer = Newer(id: 2, name: "two", email: "e", tags: ["t"], location: Point(x: 1, y: 1), status: .active)
    let bytes = try BinaryEncoder().encode(newer)
    #expect(try BinaryDecoder().decode(Newer.self, from: bytes) == newer)
    #expect(try BinaryDecoder().decode(Old.self, from: bytes) == Old(id: 2, name: "two"))
  }
}
