import Foundation
import ProfileAPI
import RPC
import Testing
import WireFormat

/// Golden vectors: `proto/golden/<name>.json` holds a message's type, its JSON meaning and its
/// bytes in hex. The tests check both directions byte-exactly: the typed Swift value encodes to
/// the bytes and the bytes decode to it; the JSON transcodes to the bytes and back.
@Suite struct GoldenVectorTests {
  struct Vector: Codable {
    var message: String
    var json: String
    var hex: String
  }

  /// A named value of a contract type, with what makes it comparable after a round trip.
  struct Sample: @unchecked Sendable {
    let name: String
    let value: any Codable
    let roundTrip: ([UInt8]) throws -> [UInt8]
    let add: (inout SchemaSet) throws -> String

    init<T: Codable & Equatable>(_ name: String, _ value: T) {
      self.name = name
      self.value = value
      roundTrip = { bytes in
        let decoded = try BinaryDecoder().decode(T.self, from: bytes)
        #expect(decoded == value, "\(name): decoded value differs")
        return try BinaryEncoder().encode(decoded)
      }
      add = { set in "\(try set.add(T.self))" }
    }
  }

  static let samples: [Sample] = [
    Sample("hello", Hello(maxFrameSize: 4_194_304, maxConcurrentCalls: 1024)),
    Sample(
      "call-start", CallStart(method: "Health/Check", metadata: ["request-id": "r-1"], timeoutMicroseconds: 5_000_000)),
    Sample("trailer-ok", Trailer.ok),
    Sample(
      "trailer-invalid-argument",
      Trailer(
        RPCError.invalidArgument([
          .init(field: "phone", description: "must be an E.164 number such as +14155550100")
        ]))),
    Sample(
      "trailer-resource-exhausted",
      Trailer(
        RPCError(
          .resourceExhausted, "too many failed sign-ins",
          details: ErrorDetails(
            quotaViolations: [.init(subject: "sign-in", description: "5 failures in 15 minutes")],
            retryAfterMilliseconds: 840_000)))),
    Sample("goaway", GoAway(lastCallID: 7, code: .ok, message: "the server is shutting down")),
    Sample("health-check-request-empty", Health.CheckRequest()),
    Sample("health-check-request", Health.CheckRequest(service: "Health")),
    Sample("health-check-response", Health.CheckResponse(status: .serving)),
    Sample("reflection-describe-request", Reflection.DescribeRequest(name: "Health.Check")),
    Sample(
      "accounts-sign-in-response-challenge",
      Accounts.SignInResponse(userId: "usr_abc", challengeId: "mfc_xyz")),
    Sample(
      "accounts-complete-mfa-sign-in-request",
      Accounts.CompleteMFASignInRequest(challengeId: "mfc_xyz", code: "287082")),
  ]

  @Test(arguments: samples.map(\.name))
  func vectorMatchesBothWays(name: String) throws {
    let sample = try #require(Self.samples.first { $0.name == name })
    var schema = SchemaSet()
    let messageName = try sample.add(&schema)
    let bytes = try BinaryEncoder().encode(sample.value)
    let transcoder = JSONTranscoder(schema: schema)
    let url = ContractFiles.golden.appendingPathComponent("\(name).json")

    if ContractFiles.rewrite {
      let json = try transcoder.decode(bytes, as: messageName)
      let vector = Vector(message: messageName, json: String(decoding: json, as: UTF8.self), hex: Self.hex(bytes))
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      try FileManager.default.createDirectory(at: ContractFiles.golden, withIntermediateDirectories: true)
      try (encoder.encode(vector) + Data("\n".utf8)).write(to: url)
    }

    let vector = try JSONDecoder().decode(Vector.self, from: Data(contentsOf: url))
    #expect(vector.message == messageName)
    let golden = try #require(Self.bytes(hex: vector.hex), "\(name): bad hex")
    // Typed: the value encodes to the golden bytes, and the bytes decode to the value.
    #expect(Self.hex(bytes) == vector.hex)
    #expect(try sample.roundTrip(golden) == golden)
    // JSON: the meaning transcodes to the golden bytes, and the bytes transcode to the meaning.
    #expect(try transcoder.encode(json: Data(vector.json.utf8), as: messageName) == golden)
    let json = try transcoder.decode(golden, as: messageName)
    #expect(try Self.canonical(json) == Self.canonical(Data(vector.json.utf8)))
  }

  @Test func unaryCallFramesMatchTheirGoldenBytes() throws {
    let encoder = BinaryEncoder()
    var stream: [UInt8] = []
    try Frame.append(to: &stream, type: .hello, callID: 0) { try encoder.encode(Hello(), appendingTo: &$0) }
    try Frame.append(to: &stream, type: .callStart, callID: 1) {
      try encoder.encode(CallStart(method: "Health/Check", metadata: [:], timeoutMicroseconds: nil), appendingTo: &$0)
    }
    try Frame.append(to: &stream, type: .message, flags: FrameFlags.endStream, callID: 1) {
      try encoder.encode(Health.CheckRequest(), appendingTo: &$0)
    }
    let url = ContractFiles.golden.appendingPathComponent("frames-unary-call.hex")
    if ContractFiles.rewrite {
      try (Self.hex(stream) + "\n").write(to: url, atomically: true, encoding: .utf8)
    }
    let golden = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(Self.hex(stream) == golden)
    var decoder = FrameDecoder()
    decoder.append(try #require(Self.bytes(hex: golden)))
    var types: [FrameType] = []
    while let frame = try decoder.next() { types.append(frame.type) }
    #expect(types == [.hello, .callStart, .message])
  }

  static func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
  }

  static func bytes(hex: String) -> [UInt8]? {
    guard hex.count % 2 == 0 else { return nil }
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      result.append(byte)
      index = next
    }
    return result
  }

  /// JSON re-serialised with sorted keys, so two texts with the same meaning compare equal.
  static func canonical(_ json: Data) throws -> Data {
    let object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
