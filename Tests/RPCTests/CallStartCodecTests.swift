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

  @Test func metadataPastTheEntryLimitIsRefusedWhileDecoding() throws {
    func callStart(entries: Int) -> [UInt8] {
      var metadata: [UInt8] = []
      for index in 0..<entries {
        let key = Array("k\(index)".utf8)
        metadata += [UInt8(key.count)] + key + [0]  // key, then an empty value
      }
      var bytes: [UInt8] = [0x0A, 0x03] + Array("A/B".utf8) + [0x12]
      var length = metadata.count
      while length >= 0x80 {
        bytes.append(UInt8(length & 0x7F) | 0x80)
        length >>= 7
      }
      return bytes + [UInt8(length)] + metadata
    }
    #expect(try CallStart.decode(callStart(entries: Metadata.maxEntries)).metadata.count == Metadata.maxEntries)
    let refused = #expect(throws: RPCError.self) { try CallStart.decode(callStart(entries: Metadata.maxEntries + 1)) }
    #expect(refused?.code == .invalidArgument)
    #expect(refused?.message == "metadata has more than \(Metadata.maxEntries) entries")
  }
}
