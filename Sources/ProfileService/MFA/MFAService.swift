import ProfileAPI
import ProfileStore
public import RPC

/// Serves `MFA`: enrolling an authenticator app, recovery codes, status and turning it off.
///
/// Every method needs a signed-in session. Enrolling and the status are open to sessions whose
/// user must still enroll (an organization they belong to enforces MFA); turning MFA off is
/// refused while any such organization does. Wrong codes count toward the account's sign-in limit.
public struct MFAService: RPCService {
  let environment: ServiceEnvironment
  let factor: SecondFactor

  public init(environment: ServiceEnvironment) {
    self.environment = environment
    factor = SecondFactor(secretsKey: environment.secretsKey)
  }

  public func register(with router: inout RPCRouter) {
    router.unary(MFA.beginEnrollment) { _, context in try await beginEnrollment(context) }
    router.unary(MFA.confirmEnrollment) { request, context in try await confirmEnrollment(request, context) }
    router.unary(MFA.getMFAStatus) { _, context in try await status(context) }
    router.unary(MFA.disable) { request, context in try await disable(request, context) }
    router.unary(MFA.regenerateRecoveryCodes) { request, context in
      try await regenerateRecoveryCodes(request, context)
    }
  }

  /// The longest code accepted as input (recovery codes with generous spacing).
  static let maximumCodeLength = 32

  static func validateCode(_ code: String) throws {
    var validator = FieldValidator()
    validator.text("code", code, length: 1...maximumCodeLength)
    try validator.check()
  }

  static let wrongCode = RPCError(
    .invalidArgument, "the code is wrong or was used already",
    details: ErrorDetails(fieldViolations: [.init(field: "code", description: "wrong or already used")]))

  static func precondition(_ type: String, _ message: String) -> RPCError {
    RPCError(
      .failedPrecondition, message,
      details: ErrorDetails(preconditionViolations: [.init(type: type, subject: "mfa", description: message)]))
  }

  static let notEnabled = precondition("MFA_NOT_ENABLED", "multi-factor authentication is not on")
}
