/// One of gRPC's 17 canonical status codes, with gRPC's numbers.
///
/// A struct over a private enum so that the set of codes can grow without breaking callers'
/// exhaustive switches. On the wire a code is its number; an unknown number read from a peer
/// becomes ``unknown``.
public struct StatusCode: Hashable, Sendable, CustomStringConvertible {
  private enum Wrapped: Int, CaseIterable, Sendable {
    case ok = 0, cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists
    case permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange
    case unimplemented, `internal`, unavailable, dataLoss, unauthenticated
  }

  private let wrapped: Wrapped

  private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

  /// Creates a code from its gRPC number, or `nil` when the number is not a canonical code.
  public init?(rawValue: Int) {
    guard let wrapped = Wrapped(rawValue: rawValue) else { return nil }
    self.wrapped = wrapped
  }

  /// The gRPC number of the code (0 for OK ... 16 for UNAUTHENTICATED).
  public var rawValue: Int { wrapped.rawValue }

  /// The gRPC name in upper snake case, for example `INVALID_ARGUMENT`.
  public var name: String {
    switch wrapped {
    case .ok: "OK"
    case .cancelled: "CANCELLED"
    case .unknown: "UNKNOWN"
    case .invalidArgument: "INVALID_ARGUMENT"
    case .deadlineExceeded: "DEADLINE_EXCEEDED"
    case .notFound: "NOT_FOUND"
    case .alreadyExists: "ALREADY_EXISTS"
    case .permissionDenied: "PERMISSION_DENIED"
    case .resourceExhausted: "RESOURCE_EXHAUSTED"
    case .failedPrecondition: "FAILED_PRECONDITION"
    case .aborted: "ABORTED"
    case .outOfRange: "OUT_OF_RANGE"
    case .unimplemented: "UNIMPLEMENTED"
    case .internal: "INTERNAL"
    case .unavailable: "UNAVAILABLE"
    case .dataLoss: "DATA_LOSS"
    case .unauthenticated: "UNAUTHENTICATED"
    }
  }

  public var description: String { name }

  /// Every canonical code in numeric order.
  public static var allCodes: [StatusCode] { Wrapped.allCases.map(StatusCode.init) }

  public static let ok = StatusCode(.ok)
  public static let cancelled = StatusCode(.cancelled)
  public static let unknown = StatusCode(.unknown)
  public static let invalidArgument = StatusCode(.invalidArgument)
  public static let deadlineExceeded = StatusCode(.deadlineExceeded)
  public static let notFound = StatusCode(.notFound)
  public static let alreadyExists = StatusCode(.alreadyExists)
  public static let permissionDenied = StatusCode(.permissionDenied)
  public static let resourceExhausted = StatusCode(.resourceExhausted)
  public static let failedPrecondition = StatusCode(.failedPrecondition)
  public static let aborted = StatusCode(.aborted)
  public static let outOfRange = StatusCode(.outOfRange)
  public static let unimplemented = StatusCode(.unimplemented)
  public static let `internal` = StatusCode(.internal)
  public static let unavailable = StatusCode(.unavailable)
  public static let dataLoss = StatusCode(.dataLoss)
  public static let unauthenticated = StatusCode(.unauthenticated)
}

extension StatusCode: Codable {
  /// Decodes the gRPC number; numbers outside the canonical set become ``unknown``, as gRPC specifies.
  public init(from decoder: any Decoder) throws {
    let number = try decoder.singleValueContainer().decode(Int.self)
    self = StatusCode(rawValue: number) ?? .unknown
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
