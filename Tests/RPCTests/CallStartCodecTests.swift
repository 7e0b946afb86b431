import RPC
import Testing
import WireFormat

@Suite struct CallStartCodecTests {
  static let samples: [CallStart] = [
    CallStart(method: "Health/Check", metadata: [:], timeoutMicroseconds: nil),
    CallStart(method: "Echo/Get", metadata: ["request-id": "r-1", "authorization": "Bearer x"], timeoutMicroseconds: 5_000_000),
    CallStart(method: String(repeating: "m", count: 200), metadata: ["k": String(repeating: "v", count: 300)], timeoutMicroseconds: -3),
    CallStart(method: "ü/ñ", metadata: ["a": "", "b": "é"], timeoutMicroseconds: Int64.max),
  ]

  @Test(arguments: 0..<samples.count)
  func handWrittenCodecMatchesTheCodableEncodingBothWays(index: Int) throws {
    let start = Self.samples[index]
    var fast: [UInt8] = []
    start.encode(appendingTo: &fast)
    #expect(fast == (try BinaryEncoder().encode(start)))
    #expect(try CallStart.decode(fast) == start)
    #expect(try BinaryDecoder().decode(CallStart.self, from: fast) == start)
  }

  @Test func decodingSkipsUnknownFieldsAndRefusesBrokenInput() throws {
    var bytes: [UInt8] = []
    CallStart(method: "A/B", metadata: [:], timeoutMicroseconds: nil).encode(appendingTo: &bytes)
    // A newer writer's field 9 (a varint) is skipped.
    #expect(try CallStart.decode(bytes + [0x48, 0x05]).method == "A/B")
    for cut in 0..<bytes.count {
      #expect(throws: (any Error).self) { try CallStart.decode(Array(bytes[0..<cut])) }
    }
    // Method as a varint: wrong wire type.
    #expect(throws: RPCError.self) { try CallStart.decode([0x08, 0x01, 0x12, 0x00]) }
    // Invalid UTF-8 in the method.
    #expect(throws: RPCError.self) { try CallStart.decode([0x0A, 0x01, 0xFF, 0x12, 0x00]) }
  }
}
