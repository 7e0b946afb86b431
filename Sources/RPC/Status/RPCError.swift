/// The one error type that crosses the wire: a status code, a message, typed details and
/// trailing metadata.
///
/// Handlers throw it (or any ``RPCErrorConvertible``); anything else a handler throws reaches
/// the caller as ``StatusCode/unknown`` with a generic message, so internal errors never leak.
/// An error with a ``cause`` (every such unexpected error has one) also names the call's request
/// id to the caller, and the server tells its ``CallRecord`` observer the cause under that id.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
  public var code: StatusCode
  public var message: String
  public var details: ErrorDetails
  public var metadata: Metadata
  /// What went wrong inside the server, for its log only: never sent. A server that ends a call
  /// with it adds the request id to the message the caller gets and reports the cause in the
  /// call's ``CallRecord/cause``. Nil on every error a client receives.
  public var cause: String?

  public init(
    _ code: StatusCode, _ message: String, details: ErrorDetails = ErrorDetails(),
    metadata: Metadata = [:], cause: String? = nil
  ) {
    self.code = code
    self.message = message
    self.details = details
    self.metadata = metadata
    self.cause = cause
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
  /// cancellation is `CANCELLED`, anything else is `UNKNOWN` with a generic message and its
  /// description as the ``cause``.
  package init(mapping error: any Error) {
    if let convertible = error as? any RPCErrorConvertible {
      self = convertible.rpcError
    } else if error is CancellationError {
      self = RPCError(.cancelled, "the call was cancelled")
    } else {
      self = RPCError(.unknown, "the handler failed with an unexpected error", cause: String(describing: error))
    }
  }
}
