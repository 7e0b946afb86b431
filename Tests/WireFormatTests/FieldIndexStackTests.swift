internal import Foundation
internal import Testing
@testable internal import WireFormat

@Suite("FieldIndexStack")
struct FieldIndexStackTests {
  func entry(_ number: Int) -> FieldEntry {
    FieldEntry(number: number, wireType: .varint, name: 0..<0, value: number..<(number + 1))
  }

  @Test("entries read back in order across the inline part and the array behind it")
  func appendAndRead() {
    var stack = FieldIndexStack()
    #expect(stack.count == 0)
    for number in 1...20 { stack.append(entry(number)) }
    #expect(stack.count == 20)
    #expect((0..<20).map { stack.entry(at: $0).number } == Array(1...20))
    #expect(stack.entry(at: 19).value == 20..<21)
  }

  @Test("truncating pops runs from either part, and later runs reuse the space in order")
  func truncate() {
    var stack = FieldIndexStack()
    for number in 1...20 { stack.append(entry(number)) }
    stack.truncate(to: 12)
    #expect(stack.count == 12)
    #expect((0..<12).map { stack.entry(at: $0).number } == Array(1...12))
    stack.truncate(to: 3)
    #expect(stack.count == 3)
    for number in 100...110 { stack.append(entry(number)) }
    #expect((0..<14).map { stack.entry(at: $0).number } == [1, 2, 3] + Array(100...110))
    stack.truncate(to: 0)
    #expect(stack.count == 0)
    stack.append(entry(7))
    #expect(stack.count == 1 && stack.entry(at: 0).number == 7)
  }
}

/// Decoding that goes through the engine's one field index: runs pushed by nested messages,
/// popped when each value is done.
@Suite("Field index runs")
struct FieldIndexRunTests {
  struct Wide: Codable, Equatable {
    var a: Int, b: Int, c: Int, d: Int, e: Int, f: Int, g: Int, h: Int, i: Int, j: Int
    var inner: [Wide]?
    var last: String
  }

  static func wide(_ seed: Int, inner: [Wide]? = nil) -> Wide {
    Wide(
      a: seed, b: seed + 1, c: seed + 2, d: seed + 3, e: seed + 4, f: seed + 5, g: seed + 6,
      h: seed + 7, i: seed + 8, j: seed + 9, inner: inner, last: "w\(seed)")
  }

  @Test("messages of more fields than the inline part, nested three deep, decode whole")
  func wideAndDeep() throws {
    let value = Self.wide(
      1, inner: [Self.wide(100, inner: [Self.wide(1_000), Self.wide(2_000)]), Self.wide(200)])
    let bytes = try BinaryEncoder().encode(value)
    #expect(try BinaryDecoder().decode(Wide.self, from: bytes) == value)
  }

  /// Records how deep the engine's field index is each time an element starts decoding.
  struct Probe: Decodable {
    nonisolated(unsafe) static var depths: [Int] = []
    let x: Int
    init(from decoder: any Decoder) throws {
      Self.depths.append((decoder as? DecodingEngine)?.fieldIndex.count ?? -1)
      x = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .x)
    }
    enum CodingKeys: Int, CodingKey { case x = 1 }
  }

  struct Probes: Decodable {
    let items: [Probe]
  }

  struct Item: Encodable {
    let x: Int
    enum CodingKeys: Int, CodingKey { case x = 1 }
  }

  struct Items: Encodable {
    let items: [Item]
  }

  @Test("an array of messages leaves the index as deep for its last element as for its first")
  func runsArePopped() throws {
    let bytes = try BinaryEncoder().encode(Items(items: (0..<1_000).map { Item(x: $0) }))
    Probe.depths = []
    let decoded = try BinaryDecoder().decode(Probes.self, from: bytes)
    #expect(decoded.items.map(\.x) == Array(0..<1_000))
    #expect(Probe.depths.count == 1_000)
    // Only the outer message's run is pushed while each element starts.
    #expect(Set(Probe.depths) == [1])
  }

  /// Keeps its container past `init(from:)`, which Codable does not forbid.
  struct Keeper: Decodable {
    nonisolated(unsafe) static var kept: KeyedDecodingContainer<CodingKeys>?
    let x: Int
    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      x = try container.decode(Int.self, forKey: .x)
      Self.kept = container
    }
    enum CodingKeys: Int, CodingKey { case x = 1 }
  }

  @Test("a container used after its value finished decoding throws instead of reading freed runs")
  func staleContainer() throws {
    let bytes = try BinaryEncoder().encode(Item(x: 5))
    #expect(try BinaryDecoder().decode(Keeper.self, from: bytes).x == 5)
    let kept = try #require(Keeper.kept)
    let error = try #require(throws: WireFormatError.self) { try kept.decode(Int.self, forKey: .x) }
    #expect(error.code == .unsupported)
    #expect(!kept.contains(.x))
    #expect(kept.allKeys.isEmpty)
    Keeper.kept = nil
  }
}
