/// Typed details carried by an error status, modelled on `google.rpc` error details.
///
/// Every part is optional; an error carries the parts that explain it. On the wire this is one
/// message (see `proto/WIRE.md`, "Error details").
public struct ErrorDetails: Codable, Sendable, Hashable {
  /// One invalid request field: which field (a dotted path such as `phone` or `threshold.amount`) and why.
  public struct FieldViolation: Codable, Sendable, Hashable {
    public var field: String
    public var description: String
    public init(field: String, description: String) {
      self.field = field
      self.description = description
    }
    enum CodingKeys: Int, CodingKey { case field = 1, description = 2 }
  }

  /// One failed precondition: its kind (for example `MFA_ENFORCED`), its subject and why.
  public struct PreconditionViolation: Codable, Sendable, Hashable {
    public var type: String
    public var subject: String
    public var description: String
    public init(type: String, subject: String, description: String) {
      self.type = type
      self.subject = subject
      self.description = description
    }
    enum CodingKeys: Int, CodingKey { case type = 1, subject = 2, description = 3 }
  }

  /// One exhausted quota: what ran out and why.
  public struct QuotaViolation: Codable, Sendable, Hashable {
    public var subject: String
    public var description: String
    public init(subject: String, description: String) {
      self.subject = subject
      self.description = description
    }
    enum CodingKeys: Int, CodingKey { case subject = 1, description = 2 }
  }

  public var fieldViolations: [FieldViolation]?
  public var preconditionViolations: [PreconditionViolation]?
  public var quotaViolations: [QuotaViolation]?
  /// How long the caller should wait before retrying, in milliseconds.
  public var retryAfterMilliseconds: Int64?

  public init(
    fieldViolations: [FieldViolation]? = nil,
    preconditionViolations: [PreconditionViolation]? = nil,
    quotaViolations: [QuotaViolation]? = nil,
    retryAfterMilliseconds: Int64? = nil
  ) {
    self.fieldViolations = fieldViolations
    self.preconditionViolations = preconditionViolations
    self.quotaViolations = quotaViolations
    self.retryAfterMilliseconds = retryAfterMilliseconds
  }

  /// True when no part is set.
  public var isEmpty: Bool {
    fieldViolations == nil && preconditionViolations == nil && quotaViolations == nil
      && retryAfterMilliseconds == nil
  }

  enum CodingKeys: Int, CodingKey {
    case fieldViolations = 1, preconditionViolations = 2, quotaViolations = 3
    case retryAfterMilliseconds = 4
  }
}
