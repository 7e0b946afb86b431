import ProfileAPI
public import RPC

/// Serves `Accounts`: sign-up, sign-in, sessions, password reset and account deletion.
public struct AccountsService: RPCService {
  let environment: ServiceEnvironment
  /// Checks the second factor of `CompleteMFASignIn`; its recovery-code key is derived once.
  let secondFactor: SecondFactor

  public init(environment: ServiceEnvironment) {
    self.environment = environment
    secondFactor = SecondFactor(secretsKey: environment.secretsKey)
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Accounts.signUp) { request, context in try await signUp(request, context) }
    router.unary(Accounts.signIn) { request, context in try await signIn(request, context) }
    router.unary(Accounts.signOut) { _, context in try await signOut(context) }
    router.unary(
      Accounts.verifyToken,
      immediately: { request, context in try verifyCachedToken(request, context) },
      otherwise: { request, context in try await verifyToken(request, context) })
    router.unary(Accounts.signInWithExternalIdentity) { request, context in
      try await signInWithExternalIdentity(request, context)
    }
    router.unary(Accounts.listSessions) { _, context in try await listSessions(context) }
    router.unary(Accounts.revokeSession) { request, context in try await revokeSession(request, context) }
    router.unary(Accounts.requestPasswordReset) { request, context in
      try await requestPasswordReset(request, context)
    }
    router.unary(Accounts.resetPassword) { request, context in try await resetPassword(request, context) }
    router.unary(Accounts.deleteAccount) { request, context in try await deleteAccount(request, context) }
    router.unary(Accounts.completeMFASignIn) { request, context in try await completeMFASignIn(request, context) }
  }
}
