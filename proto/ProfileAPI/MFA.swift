public import RPC

/// Multi-factor authentication with an authenticator app (TOTP, RFC 6238: HMAC-SHA1, 6 digits,
/// 30-second steps) and single-use recovery codes.
///
/// Every method needs a signed-in session (an API token is `PERMISSION_DENIED`). A member of an
/// organization that enforces MFA who has not enrolled may call `BeginEnrollment`,
/// `ConfirmEnrollment` and `GetMFAStatus` (and `Accounts.SignOut`), and nothing else. Wrong codes
/// count toward the account's sign-in limit, like wrong passwords.
public enum MFA {
  /// Starts (or restarts) enrollment: a new secret that becomes active only when
  /// `ConfirmEnrollment` proves the app has it. `FAILED_PRECONDITION` when MFA is already on.
  public static let beginEnrollment = MethodDescriptor<Empty, BeginEnrollmentResponse>(
    service: "MFA", method: "BeginEnrollment", kind: .unary)
  /// Turns MFA on with a current code from the app; answers the recovery codes, shown this once.
  public static let confirmEnrollment = MethodDescriptor<CodeRequest, RecoveryCodesResponse>(
    service: "MFA", method: "ConfirmEnrollment", kind: .unary)
  public static let getMFAStatus = MethodDescriptor<Empty, MFAStatus>(
    service: "MFA", method: "GetMFAStatus", kind: .unary)
  /// Turns MFA off with a current code or a recovery code. `FAILED_PRECONDITION` while an
  /// organization the user belongs to enforces MFA.
  public static let disable = MethodDescriptor<CodeRequest, Empty>(
    service: "MFA", method: "Disable", kind: .unary)
  /// Replaces every recovery code (used or not) with 10 new ones, given a current code or a
  /// recovery code.
  public static let regenerateRecoveryCodes = MethodDescriptor<CodeRequest, RecoveryCodesResponse>(
    service: "MFA", method: "RegenerateRecoveryCodes", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "MFA",
    methods: [
      beginEnrollment.info, confirmEnrollment.info, getMFAStatus.info, disable.info,
      regenerateRecoveryCodes.info,
    ])

  public struct BeginEnrollmentResponse: Codable, Sendable, Equatable {
    /// The shared secret in unpadded RFC 4648 base32, for typing into an app.
    public var secret: String
    /// `otpauth://totp/profiled:<email>?secret=...&issuer=profiled&algorithm=SHA1&digits=6&period=30`,
    /// usually shown as a QR code. Contains the secret.
    public var uri: String
    public init(secret: String, uri: String) {
      self.secret = secret
      self.uri = uri
    }
    enum CodingKeys: Int, CodingKey { case secret = 1, uri = 2 }
  }

  /// A code from the authenticator app (6 digits) or, where the method allows it, a recovery code
  /// (`xxxxx-xxxxx`; case, spaces and dashes do not matter).
  public struct CodeRequest: Codable, Sendable, Equatable {
    public var code: String
    public init(code: String) { self.code = code }
    enum CodingKeys: Int, CodingKey { case code = 1 }
  }

  public struct RecoveryCodesResponse: Codable, Sendable, Equatable {
    /// 10 single-use codes, shown this once: only their keyed hashes are stored.
    public var recoveryCodes: [String]
    public init(recoveryCodes: [String]) { self.recoveryCodes = recoveryCodes }
    enum CodingKeys: Int, CodingKey { case recoveryCodes = 1 }
  }

  public struct MFAStatus: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// True when an organization the user belongs to enforces MFA: MFA cannot be turned off,
    /// and until it is on, the user's sessions can only enroll.
    public var enforcedByOrganization: Bool
    /// The names of the organizations that enforce it.
    public var enforcingOrganizations: [String]
    /// True while a started enrollment waits for `ConfirmEnrollment`.
    public var enrollmentPending: Bool
    /// Recovery codes not used yet.
    public var recoveryCodesRemaining: Int
    public init(
      enabled: Bool, enforcedByOrganization: Bool, enforcingOrganizations: [String], enrollmentPending: Bool,
      recoveryCodesRemaining: Int
    ) {
      self.enabled = enabled
      self.enforcedByOrganization = enforcedByOrganization
      self.enforcingOrganizations = enforcingOrganizations
      self.enrollmentPending = enrollmentPending
      self.recoveryCodesRemaining = recoveryCodesRemaining
    }
    enum CodingKeys: Int, CodingKey {
      case enabled = 1, enforcedByOrganization = 2, enforcingOrganizations = 3, enrollmentPending = 4,
        recoveryCodesRemaining = 5
    }
  }
}
