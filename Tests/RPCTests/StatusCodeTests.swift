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

  /// Without a `request-id` from the caller, the server makes one per call: the id the caller is
  /// told in an unexpected error's message is the one its record carries, and no two calls share one.
  @Test func aGeneratedRequestIDIsTheSameInTheMessageAndTheRecord() async throws {
    let observed = ObservedCalls()
    var quoted: [String] = []
    try await withEchoServer(configure: { $0.callObserver = observed.record }) { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        for _ in 0..<2 {
          let error = await #expect(throws: RPCError.self) {
            try await client.unary(EchoService.get, EchoRequest(text: "x", failUnexpectedly: "no room"))
          }
          let message = try #require(error?.message)
          let marker = "; the server logged it with request id "
          let parts = message.split(separator: marker, omittingEmptySubsequences: false)
          try #require(parts.count == 2, "\(message)")
          quoted.append(String(parts[1]))
        }
        _ = try await client.unary(EchoService.get, EchoRequest(text: "fine"))
      }
    }
    let records = observed.all.filter { $0.method == "Echo/Get" }
    #expect(records.count == 3)
    #expect(Set(records.map(\.requestID)).count == 3)
    #expect(records.filter { $0.code == .unknown }.map(\.requestID).sorted() == quoted.sorted())
    #expect(quoted.allSatisfy { !$0.isEmpty && $0.contains("-") })
    #expect(records.first { $0.code == .ok }?.message == "")
  }
}
