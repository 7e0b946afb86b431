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
    #expect(unknown.cause == "Internal()")
    #expect(RPCError(mapping: Domain()).cause == nil)
    #expect(RPCError(mapping: CancellationError()).cause == nil)
  }

  /// A handler's unexpected error reaches the caller as UNKNOWN naming the request id and not the
  /// error, and the server's call observer with the error as the record's cause; a handler's
  /// RPCError leaves no cause.
  @Test func anUnexpectedErrorReachesTheObserverUnderTheRequestID() async throws {
    let observed = ObservedCalls()
    try await withEchoServer(configure: { $0.callObserver = observed.record }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let unexpected = await #expect(throws: RPCError.self) {
          try await client.unary(
            EchoService.get, EchoRequest(text: "x", failUnexpectedly: "the disk is gone"),
            options: CallOptions(metadata: ["request-id": "trace-unexpected"]))
        }
        #expect(unexpected?.code == .unknown)
        #expect(unexpected?.message.hasSuffix("logged it with request id trace-unexpected") == true)
        #expect(unexpected?.message.contains("disk") == false)
        let chosen = await #expect(throws: RPCError.self) {
          try await client.unary(
            EchoService.get, EchoRequest(text: "x", failWithCode: StatusCode.unknown.rawValue),
            options: CallOptions(metadata: ["request-id": "trace-chosen"]))
        }
        #expect(chosen?.message == "asked to fail")
      }
    }
    let records = observed.all.filter { $0.method == "Echo/Get" }
    let unexpected = try #require(records.first { $0.requestID == "trace-unexpected" })
    #expect(unexpected.code == .unknown)
    #expect(unexpected.cause == "unexpected failure: the disk is gone")
    let chosen = try #require(records.first { $0.requestID == "trace-chosen" })
    #expect(chosen.code == .unknown)
    #expect(chosen.cause == nil)
  }
}
