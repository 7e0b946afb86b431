internal import Foundation
internal import Testing
internal import WireFormat

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
