internal import Foundation
internal import Testing
internal import WireFormat

@Suite("Malformed input")
struct MalformedInputTests {
  /// One decodable target: decodes bytes, and if that succeeds re-encodes the value.
  struct Target: Sendable {
    let name: String
    /// Returns the canonical re-encoding of what decoded, or nil if decoding threw.
    let decode: @Sendable ([UInt8]) -> (reencoded: [UInt8], again: [UInt8])?

    init<T: Codable & SendableMetatype>(_ type: T.Type) {
      name = String(describing: T.self)
      decode = { bytes in
        let decoder = BinaryDecoder(limits: .init(maxDepth: 32, maxContainerCount: 1_000))
        let value: T
        do throws(WireFormatError) {
          value = try decoder.decode(T.self, from: bytes)
        } catch {
          // Typed throws: `error` is a WireFormatError; anything else would not compile.
          _ = error.code
          return nil
        }
        // Whatever decoded must encode, and its encoding must be a fixed point.
        guard let reencoded = try? BinaryEncoder().encode(value),
          let value2 = try? decoder.decode(T.self, from: reencoded),
          let again = try? BinaryEncoder().encode(value2)
        else { return ([1], [2]) }
        return (reencoded, again)
      }
    }
  }

  static let targets = [
    Target(Profile.self), Target(Scalars.self), Target(Optionals.self), Target(Node.self),
    Target([String: [Point]].self), Target(Example.self), Target(Named.self),
  ]

  /// Valid encodings to mutate: every target's sample values, mixed, so mutations also cross types.
  static func seeds() throws -> [[UInt8]] {
    let encoder = BinaryEncoder()
    return [
      try encoder.encode(Profile.sample),
      try encoder.encode(Scalars.maximum),
      try encoder.encode(Scalars.minimum),
      try encoder.encode(Optionals(int: 1, string: "s", point: Point(x: 1, y: 2), list: [1, 2], map: ["a": 1], status: .active, date: Date(timeIntervalSince1970: 5), uuid: UUID(), data: Data([1]))),
      try encoder.encode(Node(value: 1, child: Node.chain(depth: 5), children: [Node(value: 2), Node(value: 3)])),
      try encoder.encode(["a": [Point(x: 1, y: 2)], "b": []]),
      try encoder.encode(Example(name: "hi", origin: Point(x: 150, y: 0), tags: ["a", "bc"], ratio: 1)),
      try encoder.encode(Named(title: "x", count: 3)),
    ]
  }

  static func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
    var bytes = bytes
    let edits = Int.random(in: 1...4, using: &rng)
    for _ in 0..<edits {
      switch Int.random(in: 0..<6, using: &rng) {
      case 0 where !bytes.isEmpty:  // flip a bit
        let index = Int.random(in: bytes.indices, using: &rng)
        bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
      case 1:  // insert a byte, often a "special" one
        let special: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x12, 0x02]
        let byte = Bool.random(using: &rng) ? special.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        bytes.insert(byte, at: Int.random(in: 0...bytes.count, using: &rng))
      case 2 where !bytes.isEmpty:  // delete a byte
        bytes.remove(at: Int.random(in: bytes.indices, using: &rng))
      case 3:  // truncate
        bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
      case 4 where !bytes.isEmpty:  // overwrite a byte
        bytes[Int.random(in: bytes.indices, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
      default:  // duplicate a run (repeated fields, nested lengths gone wrong)
        guard !bytes.isEmpty else { continue }
        let start = Int.random(in: bytes.indices, using: &rng)
        let end = Int.random(in: start...bytes.count, using: &rng)
        bytes.insert(contentsOf: bytes[start..<end], at: Int.random(in: 0...bytes.count, using: &rng))
      }
    }
    return bytes
  }

  @Test("100,000+ random and mutated inputs decode or throw WireFormatError, and never trap")
  func fuzz() async throws {
    var rng = SplitMix64(seed: 0x5EED_CAFE)
    let seeds = try Self.seeds()
    var decoded = 0
    var rejected = 0
    let rounds = 15_000
    for round in 0..<rounds {
      // Long CPU-bound loops yield now and then, so the rest of a parallel test run (which
      // shares the two cooperative threads of a 2-core machine) is not starved for seconds.
      if round % 50 == 0 { await Task.yield() }
      let input: [UInt8]
      if round % 5 == 0 {
        input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      } else {
        input = Self.mutate(seeds.randomElement(using: &rng)!, using: &rng)
      }
      for target in Self.targets {
        if let result = target.decode(input) {
          decoded += 1
          #expect(result.reencoded == result.again, "round \(round) \(target.name): \(hex(input))")
        } else {
          rejected += 1
        }
      }
    }
    #expect(decoded + rejected == rounds * Self.targets.count)
    #expect(decoded + rejected >= 100_000)
    // The mutations are mild enough that some inputs still decode.
    #expect(decoded > 1_000)
    #expect(rejected > 50_000)
  }

  /// Binary → JSON → binary must agree with BinaryDecoder → BinaryEncoder whenever both accept
  /// an input (floats aside: JSON has one NaN), and mutated JSON text must never trap.
  @Test("mutated inputs through JSONTranscoder: no traps, and agreement with BinaryDecoder")
  func transcoderFuzz() async throws {
    var schema = SchemaSet()
    try schema.add(Profile.self)
    try schema.add(Optionals.self)
    try schema.add(Node.self)
    let transcoder = JSONTranscoder(schema: schema)
    var rng = SplitMix64(seed: 0x0050_4A53_4F4E)
    let seeds = try Self.seeds()
    var agreed = 0
    for round in 0..<6_000 {
      if round % 50 == 0 { await Task.yield() }
      let input = Self.mutate(seeds.randomElement(using: &rng)!, using: &rng)
      agreed += Self.agree(Profile.self, "Profile", input, transcoder) { !$0.ratio.isNaN }
      agreed += Self.agree(Optionals.self, "Optionals", input, transcoder) { _ in true }
      agreed += Self.agree(Node.self, "Node", input, transcoder) { _ in true }
    }
    #expect(agreed > 100)

    let json = try transcoder.decode(BinaryEncoder().encode(Profile.sample), as: "Profile")
    for round in 0..<6_000 {
      if round % 50 == 0 { await Task.yield() }
      let text = Self.mutate(Array(json), using: &rng)
      do throws(WireFormatError) {
        let bytes = try transcoder.encode(json: Data(text), as: "Profile")
        // Whatever JSON the transcoder accepts is a valid Profile.
        #expect(throws: Never.self) { try BinaryDecoder().decode(Profile.self, from: bytes) }
      } catch {
        _ = error.code
      }
    }
  }

  /// 1 if both the binary decoder and the transcoder accept `input` and re-encode it to the same bytes.
  private static func agree<T: Codable>(
    _ type: T.Type, _ name: String, _ input: [UInt8], _ transcoder: JSONTranscoder,
    comparable: (T) -> Bool
  ) -> Int {
    guard let value = try? BinaryDecoder().decode(T.self, from: input), comparable(value),
      let json = try? transcoder.decode(input, as: name)
    else { return 0 }
    let viaSwift = try? BinaryEncoder().encode(value)
    let viaJSON = try? transcoder.encode(json: json, as: name)
    #expect(viaSwift != nil && viaSwift == viaJSON, "\(name): \(hex(input))")
    return 1
  }
}
