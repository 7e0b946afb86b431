/// The one error type that crosses the wire: a status code, a message, typed details and
/// trailing metadata.
///
/// Handlers throw it (or any ``RPCErrorConvertible``); anything else a handler throws reaches
/// the caller as ``StatusCode/unknown`` with a generic message and the call's request id, so
/// internal errors never leak, and the server tells its ``CallRecord`` observer the real error
/// (``CallRecord/cause``) under that id.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
  public var code: StatusCode
  public var message: String
  public var details: ErrorDetails
  public var metadata: Metadata

  public init(
    _ code: StatusCode, _ message: String, details: ErrorDetails = ErrorDetails(),
    metadata: Metadata = [:]
  ) {
    self.code = code
    self.message = message
    self.details = details
    self.metadata = metadata
  }

  /// `CODE_NAME: message`, the form profilectl prints.
  public var description: String { "\(code.name): \(message)" }

  /// An `INVALID_ARGUMENT` error with one field violation per bad field.
  public static func invalidArgument(_ violations: [ErrorDetails.FieldViolation]) -> RPCError {
    let summary = violations.map { "\($0.field): \($0.description)" }.joined(separator: "; ")
    return RPCError(
      .invalidArgument, "invalid request: \(summary)",
      details: ErrorDetails(fieldViolations: violations))
  }
}

/// A domain error that chooses its own status when it reaches the wire.
public protocol RPCErrorConvertible: Error {
  var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
  public var rpcError: RPCError { self }
}

extension RPCError {
  /// Maps any error to the status the caller sees: ``RPCErrorConvertible`` errors choose it,
  /// cancellation is `CANCELLED`, anything else is `UNKNOWN` without its internal description
  /// (``isUnexpected(_:)``), naming `requestID` when given so the caller can point an operator
  /// at the server's log.
  package init(mapping error: any Error, requestID: String? = nil) {
    if let convertible = error as? any RPCErrorConvertible {
      self = convertible.rpcError
    } else if error is CancellationError {
      self = RPCError(.cancelled, "the call was cancelled")
    } else if let requestID {
      self = RPCError(
        .unknown, "the handler failed with an unexpected error; the server logged it with request id \(requestID)")
    } else {
      self = RPCError(.unknown, "the handler failed with an unexpected error")
    }
  }

  /// Whether `error` reaches the caller as a bare `UNKNOWN`: it is neither an
  /// ``RPCErrorConvertible`` nor a cancellation, so its description is the only account of it.
  package static func isUnexpected(_ error: any Error) -> Bool {
    !(error is any RPCErrorConvertible) && !(error is CancellationError)
  }
}
