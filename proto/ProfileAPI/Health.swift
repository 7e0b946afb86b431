public import RPC
public import WireFormat

/// The health service: whether the server, or one of its services, is serving.
public enum Health {
  /// Answers at once with the current status. An unknown service name is `NOT_FOUND`.
  public static let check = MethodDescriptor<CheckRequest, CheckResponse>(
    service: "Health", method: "Check", kind: .unary)
  /// Streams the current status, then every change, until the call ends.
  public static let watch = MethodDescriptor<CheckRequest, CheckResponse>(
    service: "Health", method: "Watch", kind: .serverStreaming)

  public static let descriptor = ServiceDescriptor(
    name: "Health", methods: [check.info, watch.info])

  public struct CheckRequest: Codable, Sendable, Equatable {
    /// A service name such as `Profile`; absent or empty asks about the server as a whole.
    public var service: String?
    public init(service: String? = nil) { self.service = service }
    enum CodingKeys: Int, CodingKey { case service = 1 }
  }

  public struct CheckResponse: Codable, Sendable, Equatable {
    public var status: ServingStatus
    public init(status: ServingStatus) { self.status = status }
    enum CodingKeys: Int, CodingKey { case status = 1 }
  }

  public enum ServingStatus: Int, WireEnum {
    case unknown = 0
    case serving = 1
    case notServing = 2
  }
}
