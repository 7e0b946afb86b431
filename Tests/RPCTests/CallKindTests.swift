import Foundation
import Glibc
import RPC
import Synchronization
import Testing

@Suite struct CallKindTests {
  @Test func unaryRoundTripCarriesMetadataAndPeerCredentials() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let response = try await client.unary(
          EchoService.get, EchoRequest(text: "hello"),
          options: CallOptions(metadata: ["Request-ID": "req-1", "idempotency-key": "k1"]))
        #expect(response.text == "hello")
        #expect(response.metadata?["request-id"] == "req-1")
        #expect(response.metadata?["idempotency-key"] == "k1")
        #expect(response.peerUID == getuid())
        #expect(response.peerPID == getpid())
      }
    }
  }

  @Test func serverStreamingDeliversEveryMessageInOrder() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        var texts: [String] = []
        for try await response in client.serverStreaming(EchoService.expand, EchoRequest(text: "n", count: 500)) {
          texts.append(response.text)
        }
        #expect(texts == (0..<500).map { "n \($0)" })
      }
    }
  }

  @Test func clientStreamingCollectsEveryRequest() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let response = try await client.clientStreaming(EchoService.collect) { writer in
          for index in 0..<100 { try await writer.write(EchoRequest(text: "\(index)")) }
        }
        #expect(response.text == (0..<100).map(String.init).joined(separator: ","))
      }
    }
  }

  @Test func bidirectionalStreamingEchoesAsItGoes() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let texts = try await client.bidirectionalStreaming(
          EchoService.update,
          requests: { writer in
            for word in ["a", "b", "c"] { try await writer.write(EchoRequest(text: word)) }
          },
          responses: { responses in
            var texts: [String] = []
            for try await response in responses { texts.append(response.text) }
            return texts
          })
        #expect(texts == ["A", "B", "C"])
      }
    }
  }

  @Test func errorsArriveWithCodeMessageDetailsAndTrailingMetadata() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(EchoService.get, EchoRequest(text: "x", failWithCode: 9))
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message == "asked to fail")
        #expect(error?.details.fieldViolations == [.init(field: "text", description: "bad text")])
        #expect(error?.metadata["reason"] == "test")
      }
    }
  }

  @Test func unknownMethodIsUnimplemented() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let missing = MethodDescriptor<EchoRequest, EchoResponse>(service: "Echo", method: "Nope", kind: .unary)
        let error = await #expect(throws: RPCError.self) {
          try await client.unary(missing, EchoRequest(text: "x"))
        }
        #expect(error?.code == .unimplemented)
        #expect(error?.message.contains("Echo/Nope") == true)
        // The connection survives and serves the next call.
        #expect(try await client.unary(EchoService.get, EchoRequest(text: "after")).text == "after")
      }
    }
  }

  @Test func thousandConcurrentCallsOnOneConnectionAreAllAnsweredCorrectly() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
          for index in 0..<1000 {
            group.addTask {
              // Varying delays make the server answer out of order.
              let request = EchoRequest(text: "call-\(index)", delayMilliseconds: (index * 7) % 23)
              return (index, try await client.unary(EchoService.get, request).text)
            }
          }
          var seen = Set<Int>()
          for try await (index, text) in group {
            #expect(text == "call-\(index)")
            seen.insert(index)
          }
          #expect(seen.count == 1000)
        }
        #expect(server.connectionCount == 1)
      }
    }
  }

  @Test func pingMeasuresARoundTrip() async throws {
    try await withEchoServer { server throws in
      try await withRPCClient(socketPath: server.socketPath) { client throws in
        let rtt = try await client.ping()
        #expect(rtt > .zero)
      }
    }
  }
}
