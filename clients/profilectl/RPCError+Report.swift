internal import RPC

extension RPCError {
  /// The lines profilectl prints on standard error for a failed call: `CODE_NAME: message`,
  /// then one indented line per detail.
  ///
  /// ```
  /// INVALID_ARGUMENT: invalid request: phone: not an E.164 number
  ///   phone: not an E.164 number
  ///   precondition MFA_ENFORCED on account 42: a second factor is required
  ///   quota login-attempts: 5 per minute
  ///   retry after 1500 ms
  /// ```
  var reportLines: [String] {
    var lines = ["\(code.name): \(message)"]
    for violation in details.fieldViolations ?? [] {
      lines.append("  \(violation.field): \(violation.description)")
    }
    for violation in details.preconditionViolations ?? [] {
      let subject = violation.subject.isEmpty ? "" : " on \(violation.subject)"
      lines.append("  precondition \(violation.type)\(subject): \(violation.description)")
    }
    for violation in details.quotaViolations ?? [] {
      lines.append("  quota \(violation.subject): \(violation.description)")
    }
    if let milliseconds = details.retryAfterMilliseconds {
      lines.append("  retry after \(milliseconds) ms")
    }
    return lines
  }
}
