public import WireFormat

/// How many messages each side of a call sends.
public enum CallKind: Int, WireEnum {
  /// One request, one response.
  case unary = 0
  /// One request, a stream of responses.
  case serverStreaming = 1
  /// A stream of requests, one response.
  case clientStreaming = 2
  /// A stream each way.
  case bidirectionalStreaming = 3

  /// True when the client may send more than one message.
  public var clientStreams: Bool { self == .clientStreaming || self == .bidirectionalStreaming }
  /// True when the server may send more than one message.
  public var serverStreams: Bool { self == .serverStreaming || self == .bidirectionalStreaming }
}
