internal import Foundation
internal import ProfileAPI
internal import ProfileClient
internal import RPC
internal import WireFormat

/// `call SERVICE.METHOD [JSON | -]`: calls any method with JSON requests, through the schema
/// the server reflects, and prints the responses as JSON.
struct CallCommand: Command {
  static let name = "call"
  static let synopsis = "call SERVICE.METHOD [JSON | -]"
  static let summary = "calls a method with JSON requests and prints JSON responses"
  static let usage = """
    USAGE: profilectl [options] call SERVICE.METHOD [JSON | -]

    Calls SERVICE.METHOD (or SERVICE/METHOD) with the request given as JSON, converted to the
    binary format through the schema the server reflects, and prints the response as JSON.
    Field names are the schema's; bytes are base64, timestamps RFC 3339, enums case names.

    JSON is the argument, or standard input when it is `-` or absent. A method that takes one
    request needs exactly one JSON value; a client- or bidirectional-streaming method takes
    any number of values, one per line (or a JSON array of them), sent in order before the
    call half-closes.

    OUTPUT:
      A single response is printed pretty, two-space indented. Responses of a
      server- or bidirectional-streaming method are printed one compact JSON object per
      line, as they arrive, until the stream ends or --timeout (none by default for them)
      passes.

    ERRORS:
      JSON that is malformed or does not match the request message is INVALID_ARGUMENT
      (exit 3), with the transcoder's message, and nothing is sent. A method the server does
      not have is UNIMPLEMENTED (exit 12). Any other failed call exits with its status code.

    EXAMPLES:
      profilectl call Health.Check '{}'
      echo '{"service":"Reflection"}' | profilectl call Health/Check -
      profilectl --timeout 10s call Health.Watch '{}'

    OPTIONS:
      -h, --help   shows this help

    The global options (see profilectl --help) apply.

    """

  /// The method as given, `Service.Method` or `Service/Method`.
  let method: String
  /// The JSON argument; `nil` reads standard input.
  let json: String?

  init(arguments: [String]) throws(UsageError) {
    let operands = try CommandArguments(arguments, of: Self.self).operands
    guard let method = operands.first else {
      throw UsageError("call needs a SERVICE.METHOD", usage: Self.usage)
    }
    guard operands.count <= 2 else {
      throw UsageError(
        "call takes SERVICE.METHOD and one JSON argument, found '\(operands[2])' too",
        usage: Self.usage)
    }
    guard let split = method.lastIndex(where: { $0 == "/" || $0 == "." }),
      split != method.startIndex, method.index(after: split) != method.endIndex
    else {
      throw UsageError("call needs SERVICE.METHOD or SERVICE/METHOD, not '\(method)'", usage: Self.usage)
    }
    self.method = method
    self.json = operands.count == 2 && operands[1] != "-" ? operands[1] : nil
  }

  /// The method's wire name, `Service/Method`, as a server's errors name it.
  var wireName: String {
    if method.contains("/") { return method }
    guard let dot = method.lastIndex(of: ".") else { return method }
    return String(method[..<dot]) + "/" + String(method[method.index(after: dot)...])
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    let texts: [String]
    do {
      texts = try JSONSplitter.requests(in: try json ?? Self.readStandardInput())
    } catch let failure as JSONSplitter.Failure {
      throw RPCError(.invalidArgument, failure.description)
    }
    return try await context.withClient { client in
      let description = try await describe(using: client, options: context.callOptions())
      guard let method = description.method else {
        throw RPCError(.unimplemented, "unknown method '\(wireName)'")
      }
      let transcoder = JSONTranscoder(schema: description.types)
      let requests = try encode(texts, for: method, with: transcoder)
      try await client.rpc.rawCall(
        method: method.fullName, requests: requests,
        options: context.callOptions(streamingResponses: method.kind.serverStreams)
      ) { bytes in
        let json: Data
        do {
          json = try transcoder.decode(bytes, as: method.responseType)
        } catch {
          throw RPCError(.internal, "a response could not be read as \(method.responseType): \(error)")
        }
        let text = String(decoding: json, as: UTF8.self)
        Output.line(method.kind.serverStreams ? JSONFormatter.compact(text) : JSONFormatter.pretty(text))
      }
      return .success
    }
  }

  /// The method and its message types from reflection; a name reflection does not know is
  /// `UNIMPLEMENTED`, which is what calling it would answer.
  private func describe(using client: ProfileClient, options: CallOptions) async throws
    -> Reflection.DescribeResponse
  {
    do {
      return try await client.reflection.describe(method, options: options)
    } catch let error as RPCError where error.code == .notFound {
      throw RPCError(.unimplemented, "unknown method '\(wireName)'")
    }
  }

  /// The requests in the binary format.
  ///
  /// - Throws: `INVALID_ARGUMENT` when the number of requests does not fit the call kind or a
  ///   request does not match the schema.
  private func encode(
    _ texts: [String], for method: Reflection.MethodDescription, with transcoder: JSONTranscoder
  ) throws -> [[UInt8]] {
    if !method.kind.clientStreams, texts.count != 1 {
      let found = texts.isEmpty ? "no JSON value was given" : "\(texts.count) JSON values were given"
      throw RPCError(
        .invalidArgument, "\(method.fullName) takes one \(method.requestType) request; \(found)")
    }
    return try texts.enumerated().map { index, text in
      do {
        return try transcoder.encode(json: Data(text.utf8), as: method.requestType)
      } catch {
        let which = texts.count > 1 ? "request \(index + 1), " : ""
        throw RPCError(.invalidArgument, "\(which)\(method.requestType): \(error)")
      }
    }
  }

  private static func readStandardInput() throws -> String {
    if isatty(STDIN_FILENO) == 1 {
      Output.error("profilectl: reading JSON from standard input; end it with Ctrl-D")
    }
    let data = try FileHandle.standardInput.readToEnd() ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
