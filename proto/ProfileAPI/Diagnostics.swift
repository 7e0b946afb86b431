public import Foundation
public import RPC

/// Round-trip and streaming probes for operators and the benchmark. Trusted callers only.
public enum Diagnostics {
  /// Answers with `responseSize` bytes (the request's payload repeated).
  public static let echo = MethodDescriptor<EchoRequest, EchoResponse>(
    service: "Diagnostics", method: "Echo", kind: .unary, access: .trustedCallersOnly)
  /// Streams `count` messages of `size` bytes each.
  public static let generate = MethodDescriptor<GenerateRequest, EchoResponse>(
    service: "Diagnostics", method: "Generate", kind: .serverStreaming, access: .trustedCallersOnly)

  public static let descriptor = ServiceDescriptor(name: "Diagnostics", methods: [echo.info, generate.info])

  /// Largest payload either way: 64 KiB.
  public static let maxPayloadSize = 64 * 1024
  /// Most messages one `Generate` call streams.
  public static let maxGenerateCount = 10_000_000

  public struct EchoRequest: Codable, Sendable, Equatable {
    /// At most 64 KiB.
    public var payload: Data
    /// Bytes in the answer; absent answers with the payload as is. At most 64 KiB.
    public var responseSize: Int?
    public init(payload: Data, responseSize: Int? = nil) {
      self.payload = payload
      self.responseSize = responseSize
    }
    enum CodingKeys: Int, CodingKey { case payload = 1, responseSize = 2 }
  }

  public struct EchoResponse: Codable, Sendable, Equatable {
    public var payload: Data
    public init(payload: Data) { self.payload = payload }
    enum CodingKeys: Int, CodingKey { case payload = 1 }
  }

  public struct GenerateRequest: Codable, Sendable, Equatable {
    /// 1 to 10,000,000.
    public var count: Int
    /// Bytes per message, 0 to 64 KiB.
    public var size: Int
    public init(count: Int, size: Int) {
      self.count = count
      self.size = size
    }
    enum CodingKeys: Int, CodingKey { case count = 1, size = 2 }
  }
}
