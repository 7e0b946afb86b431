import Foundation
import RPC
import Synchronization
import WireFormat

/// Calls of `Echo/Hold` wait until the test releases their text, so a test can keep a call in
/// flight for as long as it checks, however slow a loaded machine runs.
enum HeldCalls {
  private static let released = Mutex<Set<String>>([])

  static func release(_ key: String) {
    released.withLock { _ = $0.insert(key) }
  }

  static func wait(for key: String) async throws {
    while !released.withLock({ $0.contains(key) }) { try await Task.sleep(for: .milliseconds(2)) }
  }
}

/// Messages of the echo test service.
struct EchoRequest: Codable, Sendable, Equatable {
  var text: String
  var delayMilliseconds: Int?
  var failWithCode: Int?
  var count: Int?
  /// Makes the handler throw ``UnexpectedFailure`` with this text: an error that is not an RPCError.
  var failUnexpectedly: String?
  enum CodingKeys: Int, CodingKey {
    case text = 1, delayMilliseconds = 2, failWithCode = 3, count = 4, failUnexpectedly = 5
  }
}

/// What `Echo/Get` throws for `failUnexpectedly`: stands for a database or file-system failure.
struct UnexpectedFailure: Error, CustomStringConvertible {
  let text: String
  var description: String { "unexpected failure: \(text)" }
}

struct EchoResponse: Codable, Sendable, Equatable {
  var text: String
  var metadata: [String: String]?
  var peerUID: UInt32?
  var peerPID: Int32?
  var remainingMilliseconds: Int64?
  /// Set by the handlers registered to run on the loop thread: whether a task ran them.
  var ranInTask: Bool?
  enum CodingKeys: Int, CodingKey {
    case text = 1, metadata = 2, peerUID = 3, peerPID = 4, remainingMilliseconds = 5, ranInTask = 6
  }
}

/// A hand-written service that exercises every call kind, for the runtime tests.
struct EchoService: RPCService {
  static let get = MethodDescriptor<EchoRequest, EchoResponse>(service: "Echo", method: "Get", kind: .unary)
  static let expand = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Echo", method: "Expand", kind: .serverStreaming)
  static let collect = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Echo", method: "Collect", kind: .clientStreaming)
  static let update = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Echo", method: "Update", kind: .bidirectionalStreaming)
  static let secret = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Echo", method: "Secret", kind: .unary, access: .trustedCallersOnly)
  static let relay = MethodDescriptor<EchoRequest, EchoResponse>(service: "Echo", method: "Relay", kind: .unary)
  static let hold = MethodDescriptor<EchoRequest, EchoResponse>(service: "Echo", method: "Hold", kind: .unary)
  /// Reads nothing until the test releases the call's `hold-key` metadata value, then counts
  /// the messages and their text's bytes.
  static let countWhenReleased = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Echo", method: "CountWhenReleased", kind: .clientStreaming)

  /// Registered to run on the loop thread: answers the text repeated `count` times (once when
  /// unset), or fails as `Get` does, and says whether it ran in a task.
  static let now = MethodDescriptor<EchoRequest, EchoResponse>(service: "Echo", method: "Now", kind: .unary)
  /// Answers on the loop thread when the text starts with "hit"; otherwise its async handler
  /// answers the text followed by " (async)".
  static let cached = MethodDescriptor<EchoRequest, EchoResponse>(service: "Echo", method: "Cached", kind: .unary)

  /// Where `Relay` sends its inner call.
  var relayTo: String?

  func register(with router: inout RPCRouter) {
    router.unary(Self.get, Self.respond)
    router.unary(Self.secret, Self.respond)
    router.unary(Self.hold) { request, _ in
      try await HeldCalls.wait(for: request.text)
      return EchoResponse(text: request.text)
    }
    router.serverStreaming(Self.expand) { request, writer, _ in
      for index in 0..<(request.count ?? 3) {
        if let delay = request.delayMilliseconds { try await Task.sleep(for: .milliseconds(delay)) }
        try await writer.write(EchoResponse(text: "\(request.text) \(index)"))
      }
    }
    router.clientStreaming(Self.collect) { requests, _ in
      var texts: [String] = []
      for try await request in requests { texts.append(request.text) }
      return EchoResponse(text: texts.joined(separator: ","))
    }
    router.clientStreaming(Self.countWhenReleased) { requests, context in
      try await HeldCalls.wait(for: context.metadata["hold-key"] ?? "")
      var (messages, bytes) = (0, 0)
      for try await request in requests { (messages, bytes) = (messages + 1, bytes + request.text.utf8.count) }
      return EchoResponse(text: "\(messages) messages, \(bytes) bytes")
    }
    router.bidirectionalStreaming(Self.update) { requests, writer, _ in
      for try await request in requests {
        try await writer.write(EchoResponse(text: request.text.uppercased()))
      }
    }
    router.unary(
      Self.now,
      immediately: { request, context in
        if let text = request.failUnexpectedly { throw UnexpectedFailure(text: text) }
        if let code = request.failWithCode, let status = StatusCode(rawValue: code) {
          throw RPCError(status, "asked to fail", metadata: ["reason": "test"])
        }
        return EchoResponse(
          text: String(repeating: request.text, count: max(1, request.count ?? 1)),
          metadata: Dictionary(context.metadata.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }),
          peerUID: context.peer.uid, ranInTask: Self.inTask)
      })
    router.unary(
      Self.cached,
      immediately: { request, _ in
        request.text.hasPrefix("hit") ? EchoResponse(text: request.text, ranInTask: Self.inTask) : nil
      },
      otherwise: { request, _ in
        try await Task.sleep(for: .milliseconds(1))
        return EchoResponse(text: request.text + " (async)", ranInTask: Self.inTask)
      })
    let relayTo = relayTo
    router.unary(Self.relay) { request, _ in
      guard let relayTo else { throw RPCError(.failedPrecondition, "no relay target") }
      return try await withRPCClient(socketPath: relayTo) { client in
        try await client.unary(Self.get, request)
      }
    }
  }

  /// Whether the caller runs in a task.
  static var inTask: Bool { withUnsafeCurrentTask { $0 != nil } }

  @Sendable static func respond(_ request: EchoRequest, _ context: ServerContext) async throws -> EchoResponse {
    if let delay = request.delayMilliseconds { try await Task.sleep(for: .milliseconds(delay)) }
    if let text = request.failUnexpectedly { throw UnexpectedFailure(text: text) }
    if let code = request.failWithCode, let status = StatusCode(rawValue: code) {
      throw RPCError(
        status, "asked to fail",
        details: ErrorDetails(fieldViolations: [.init(field: "text", description: "bad text")]),
        metadata: ["reason": "test"])
    }
    var metadata: [String: String] = [:]
    for (key, value) in context.metadata { metadata[key] = value }
    return EchoResponse(
      text: request.text, metadata: metadata, peerUID: context.peer.uid, peerPID: context.peer.pid,
      remainingMilliseconds: context.remaining.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) })
  }
}

/// A unique socket path under /tmp (short enough for sockaddr_un).
func temporarySocketPath() -> String {
  "/tmp/rpct-\(UUID().uuidString.prefix(13)).sock"
}

/// Runs `body` with a started echo server on a fresh socket.
func withEchoServer<R: Sendable>(
  configure: (inout ServerConfiguration) -> Void = { _ in },
  interceptors: [any ServerInterceptor] = [],
  _ body: (RPCServer) async throws -> R
) async throws -> R {
  let path = temporarySocketPath()
  var configuration = ServerConfiguration(socketPath: path)
  configuration.shutdownGracePeriod = .seconds(2)
  configure(&configuration)
  return try await withRPCServer(
    configuration: configuration, services: [EchoService(relayTo: path)], interceptors: interceptors,
    body)
}
