public import ProfileAPI
public import RPC

/// Serves `Accounts`: sign-up, sign-in, sessions, password reset and account deletion.
public struct AccountsService: RPCService {
  let environment: ServiceEnvironment

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.register(Accounts.signUp) { request, context in try await signUp(request, context) }
    router.register(Accounts.signIn) { request, context in try await signIn(request, context) }
    router.register(Accounts.signOut) { _, context in try await signOut(context) }
    router.register(Accounts.verifyToken) { request, context in try await verifyToken(request, context) }
  }
}
