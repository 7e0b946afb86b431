import RPC
import Testing
import WireFormat

@Suite struct StatusCodeTests {
  @Test func codesHaveGRPCNumbersAndNames() {
    let expected = [
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]
    #expect(StatusCode.allCodes.map(\.name) == expected)
    #expect(StatusCode.allCodes.map(\.rawValue) == Array(0...16))
    #expect(StatusCode.unimplemented.rawValue == 12)
    #expect(StatusCode(rawValue: 17) == nil)
  }

  @Test func unknownNumbersDecodeAsUnknown() throws {
    struct Holder: Codable { var code: StatusCode; enum CodingKeys: Int, CodingKey { case code = 1 } }
    struct Raw: Codable { var code: Int; enum CodingKeys: Int, CodingKey { case code = 1 } }
    let bytes = try BinaryEncoder().encode(Raw(code: 99))
    #expect(try BinaryDecoder().decode(Holder.self, from: bytes).code == .unknown)
  }

  @Test func errorsMapToStatuses() {
    struct Domain: RPCErrorConvertible { var rpcError: RPCError { RPCError(.notFound, "no such thing") } }
    struct Internal: Error {}
    #expect(RPCError(mapping: Domain()).code == .notFound)
    #expect(RPCError(mapping: CancellationError()).code == .cancelled)
    let unknown = RPCError(mapping: Internal())
    #expect(unknown.code == .unknown)
    #expect(!unknown.message.contains("Internal"))
  }
}
