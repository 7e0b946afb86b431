internal import Foundation
internal import Testing
internal import WireFormat

@Suite("BinaryEncoder")
struct BinaryEncoderTests {
  // The worked examples of proto/WIRE.md, byte for byte.

  @Test("worked example 1: two zig-zag varints")
  func point() throws {
    #expect(hex(try BinaryEncoder().encode(Point(x: 1, y: -2))) == "08 02 10 03")
  }

  @Test("worked example 2: string, nested message, array, absent optional")
  func example() throws {
    let value = Example(name: "hi", origin: Point(x: 150, y: 0), tags: ["a", "bc"], ratio: nil)
    #expect(
      hex(try BinaryEncoder().encode(value))
        == "0A 02 68 69 12 05 08 AC 02 10 00 1A 05 01 61 02 62 63")
  }

  @Test("worked example 3: named fields")
  func named() throws {
    #expect(
      hex(try BinaryEncoder().encode(Named(title: "x", count: 3)))
        == "02 05 74 69 74 6C 65 01 78 00 05 63 6F 75 6E 74 06")
  }

  @Test("worked example 4: map sorted by key, enum, timestamp, double, float")
  func settings() throws {
    let value = Settings(
      limits: ["b": 2, "a": -1], status: .active, at: Date(timeIntervalSince1970: 1.5),
      ratio: 1, level: 1.5)
    #expect(
      hex(try BinaryEncoder().encode(value))
        == "0A 06 01 61 01 01 62 04 10 02 18 C0 8D B7 01 21 00 00 00 00 00 00 F0 3F 2D 00 00 C0 3F")
  }

  @Test("worked example 5: top-level scalars are bare")
  func topLevelScalars() throws {
    #expect(hex(try BinaryEncoder().encode(300)) == "D8 04")
    #expect(hex(try BinaryEncoder().encode("hi")) == "02 68 69")
    #expect(hex(try BinaryEncoder().encode([1, -1])) == "02 02 01")
  }

  @Test("a payload of 128 bytes or more takes a two-byte length")
  func longPayload() throws {
    let bytes = try BinaryEncoder().encode(Example(name: String(repeating: "a", count: 200), origin: Point(x: 0, y: 0), tags: [], ratio: nil))
    #expect(Array(bytes.prefix(3)) == [0x0A, 0xC8, 0x01])
    #expect(bytes.count == 3 + 200 + 6 + 2)
    let nested = try BinaryEncoder().encode(Example(name: "", origin: Point(x: 0, y: 0), tags: Array(repeating: "abc", count: 40), ratio: nil))
    // tags: key 1A, length 160 = A0 01, then 40 × (03 61 62 63).
    #expect(Array(nested.suffix(163).prefix(3)) == [0x1A, 0xA0, 0x01])
  }

  @Test("appending keeps the existing bytes and patches lengths after them")
  func appending() throws {
    var buffer: [UInt8] = [0xFF, 0xEE]
    let value = Example(name: "hi", origin: Point(x: 150, y: 0), tags: ["a", "bc"], ratio: 2)
    try BinaryEncoder().encode(value, appendingTo: &buffer)
    #expect(Array(buffer.prefix(2)) == [0xFF, 0xEE])
    #expect(Array(buffer.dropFirst(2)) == (try BinaryEncoder().encode(value)))
  }

  @Test("a failed append leaves the buffer as it was")
  func failedAppend() throws {
    var buffer: [UInt8] = [1, 2, 3]
    #expect(throws: WireFormatError.self) {
      try BinaryEncoder().encode([Optional(1), nil], appendingTo: &buffer)
    }
    #expect(buffer == [1, 2, 3])
  }

  @Test("encoding is deterministic: maps are sorted by key")
  func deterministic() throws {
    var scores: [String: Int] = [:]
    for index in 0..<100 {
      scores["key\(index)"] = index
    }
    var shuffled: [String: Int] = [:]
    for (key, value) in scores.shuffled() {
      shuffled[key] = value
    }
    var profile = Profile.sample
    profile.scores = scores
    let first = try BinaryEncoder().encode(profile)
    profile.scores = shuffled
    #expect(try BinaryEncoder().encode(profile) == first)
  }

  @Test("integer map keys are sorted numerically, string keys by UTF-8 bytes")
  func mapOrder() throws {
    #expect(hex(try BinaryEncoder().encode([10: 0, -1: 0, 2: 0] as [Int: Int])) == "06 01 00 04 00 14 00")
    // "Z" (5A) < "a" (61) < "é" (C3 A9)
    #expect(hex(try BinaryEncoder().encode(["é": 1, "a": 1, "Z": 1])) == "0A 01 5A 02 01 61 02 02 C3 A9 02")
  }

  @Test("nil optional fields are absent")
  func absentOptionals() throws {
    #expect(try BinaryEncoder().encode(Optionals()).isEmpty)
  }

  @Test("field numbers outside 1...2^29-1 are errors", arguments: [0, -1, 1 << 29])
  func invalidFieldNumber(_ number: Int) throws {
    struct BadKey: Encodable {
      let number: Int
      struct Key: CodingKey {
        var intValue: Int?
        var stringValue: String { "bad" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
      }
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(1, forKey: Key(intValue: number))
      }
    }
    let error = try #require(throws: WireFormatError.self) { try BinaryEncoder().encode(BadKey(number: number)) }
    #expect(error.code == .invalidFieldNumber)
    #expect(error.codingPath == "bad")
  }

  @Test("nil array elements are unsupported")
  func nilElement() throws {
    let error = try #require(throws: WireFormatError.self) {
      try BinaryEncoder().encode([1, nil, 3] as [Int?])
    }
    #expect(error.code == .unsupported)
    #expect(error.codingPath == "[1]")
  }

  @Test("superEncoder is a clear error, not a crash")
  func superEncoder() throws {
    struct Sub: Encodable {
      enum Key: Int, CodingKey { case a = 1 }
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(1, forKey: .a)
        _ = container.superEncoder()
      }
    }
    let error = try #require(throws: WireFormatError.self) { try BinaryEncoder().encode(Sub()) }
    #expect(error.code == .unsupported)
    #expect(error.description.contains("superEncoder"))
  }

  @Test("nested containers close when the parent writes again")
  func nestedContainers() throws {
    struct Manual: Encodable {
      enum Key: Int, CodingKey { case a = 1, inner, list, b }
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(1, forKey: .a)
        var inner = container.nestedContainer(keyedBy: Key.self, forKey: .inner)
        try inner.encode(2, forKey: .a)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        try list.encode(3)
        try list.encode(4)
        try container.encode(5, forKey: .b)
      }
    }
    // a=1; inner={a=2}; list=[3,4]; b=5
    #expect(hex(try BinaryEncoder().encode(Manual())) == "08 02 12 02 08 04 1A 02 06 08 20 0A")
    let decoded = try BinaryDecoder().decode(ManualDecoded.self, from: try BinaryEncoder().encode(Manual()))
    #expect(decoded == ManualDecoded(a: 1, inner: Point(x: 2, y: 9), list: [3, 4], b: 5))
  }

  @Test("asking for two kinds of container is a clear error")
  func mixedContainers() throws {
    struct Mixed: Encodable {
      enum Key: Int, CodingKey { case a = 1 }
      func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: Key.self)
        try keyed.encode(1, forKey: .a)
        var unkeyed = encoder.unkeyedContainer()
        try unkeyed.encode(2)
      }
    }
    let error = try #require(throws: WireFormatError.self) { try BinaryEncoder().encode(Mixed()) }
    #expect(error.code == .unsupported)
  }

  @Test("errors thrown by a type's encode(to:) are wrapped with their path")
  func wrappedErrors() throws {
    struct Refuses: Encodable {
      func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(0, .init(codingPath: [], debugDescription: "no thanks"))
      }
    }
    struct Outer: Encodable {
      let inner = Refuses()
      enum CodingKeys: Int, CodingKey { case inner = 1 }
    }
    let error = try #require(throws: WireFormatError.self) { try BinaryEncoder().encode(Outer()) }
    #expect(error.code == .invalidValue)
    #expect(error.codingPath == "inner")
    #expect(error.description.contains("no thanks"))
    #expect(error.underlyingError is EncodingError)
  }
}

extension BinaryEncoderTests {
  /// `[String]` and ``WireEnum`` values are written without their `encode(to:)`; the twins below
  /// take the long way (their own `encode(to:)` through an unkeyed or single value container),
  /// and every position a value can take must give the same bytes.
  @Test("string arrays and wire enums give the bytes of their encode(to:) in every position")
  func shortcutsMatchTheLongWay() throws {
    let lists: [[String]] = [[], ["a"], ["", "bc", String(repeating: "x", count: 200), "é"]]
    for list in lists {
      let direct = Shapes(
        list: list, lists: [list, ["z"]], byKey: ["k": list], maybeList: list, status: .deleted,
        statuses: [.active, .suspended], maybeStatus: .suspended, plan: .enterprise, plans: ["p": .pro])
      let longWay = LongWayShapes(
        list: LongWayList(list), lists: [LongWayList(list), LongWayList(["z"])], byKey: ["k": LongWayList(list)],
        maybeList: LongWayList(list), status: LongWayRaw(Status.deleted.rawValue),
        statuses: [LongWayRaw(Status.active.rawValue), LongWayRaw(Status.suspended.rawValue)],
        maybeStatus: LongWayRaw(Status.suspended.rawValue), plan: LongWayRaw(Plan.enterprise.rawValue),
        plans: ["p": LongWayRaw(Plan.pro.rawValue)])
      let bytes = try BinaryEncoder().encode(direct)
      #expect(bytes == (try BinaryEncoder().encode(longWay)))
      #expect(try BinaryDecoder().decode(Shapes.self, from: bytes) == direct)
      #expect(try BinaryEncoder().encode(list) == (try BinaryEncoder().encode(LongWayList(list))))
    }
    #expect(try BinaryEncoder().encode(Status.deleted) == (try BinaryEncoder().encode(LongWayRaw(-3))))
    #expect(try BinaryEncoder().encode(Plan.free) == (try BinaryEncoder().encode(LongWayRaw("free"))))
  }
}

private struct Shapes: Codable, Equatable {
  var list: [String]
  var lists: [[String]]
  var byKey: [String: [String]]
  var maybeList: [String]?
  var status: Status
  var statuses: [Status]
  var maybeStatus: Status?
  var plan: Plan
  var plans: [String: Plan]

  enum CodingKeys: Int, CodingKey {
    case list = 1, lists, byKey, maybeList, status, statuses, maybeStatus, plan, plans
  }
}

/// ``Shapes`` with every string array and enum replaced by a twin that encodes itself.
private struct LongWayShapes: Encodable {
  var list: LongWayList
  var lists: [LongWayList]
  var byKey: [String: LongWayList]
  var maybeList: LongWayList?
  var status: LongWayRaw<Int>
  var statuses: [LongWayRaw<Int>]
  var maybeStatus: LongWayRaw<Int>?
  var plan: LongWayRaw<String>
  var plans: [String: LongWayRaw<String>]

  enum CodingKeys: Int, CodingKey {
    case list = 1, lists, byKey, maybeList, status, statuses, maybeStatus, plan, plans
  }
}

/// A string array written element by element through an unkeyed container.
private struct LongWayList: Encodable {
  var items: [String]
  init(_ items: [String]) { self.items = items }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    for item in items { try container.encode(item) }
  }
}

/// A raw value written through a single value container, as `RawRepresentable` does.
private struct LongWayRaw<Raw: Encodable>: Encodable {
  var raw: Raw
  init(_ raw: Raw) { self.raw = raw }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(raw)
  }
}

/// What `nestedContainers` decodes its manual encoding into: `inner` has no `y`, so `y` is defaulted.
private struct ManualDecoded: Decodable, Equatable {
  var a: Int
  var inner: Point
  var list: [Int]
  var b: Int

  init(a: Int, inner: Point, list: [Int], b: Int) {
    self.a = a
    self.inner = inner
    self.list = list
    self.b = b
  }

  enum Key: Int, CodingKey { case a = 1, inner, list, b }
  enum InnerKey: Int, CodingKey { case x = 1 }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    a = try container.decode(Int.self, forKey: .a)
    let inner = try container.nestedContainer(keyedBy: InnerKey.self, forKey: .inner)
    self.inner = Point(x: try inner.decode(Int.self, forKey: .x), y: 9)
    list = try container.decode([Int].self, forKey: .list)
    b = try container.decode(Int.self, forKey: .b)
  }
}
