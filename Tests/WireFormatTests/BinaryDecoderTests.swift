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
