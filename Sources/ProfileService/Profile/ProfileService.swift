import ProfileAPI
public import RPC

/// Serves `Profile`: the signed-in user's own profile, password, email, phone, avatar and plan.
///
/// Every method acts for the user of the call's bearer token. Every change writes its audit
/// entry and its outbox messages in the transaction that makes it.
public struct ProfileService: RPCService {
  let environment: ServiceEnvironment

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Profile.getProfile) { _, context in try await getProfile(context) }
    router.unary(Profile.updateProfile) { request, context in try await updateProfile(request, context) }
    router.unary(Profile.changePassword) { request, context in try await changePassword(request, context) }
    router.unary(Profile.changeEmail) { request, context in try await changeEmail(request, context) }
    router.unary(Profile.confirmEmailChange) { request, context in try await confirmEmailChange(request, context) }
    router.unary(Profile.setPhone) { request, context in try await setPhone(request, context) }
    router.unary(Profile.verifyPhone) { request, context in try await verifyPhone(request, context) }
    router.unary(Profile.resendPhoneCode) { _, context in try await resendPhoneCode(context) }
    router.unary(Profile.removePhone) { _, context in try await removePhone(context) }
    router.unary(Profile.setAvatar) { request, context in try await setAvatar(request, context) }
    router.unary(Profile.getAvatar) { _, context in try await getAvatar(context) }
    router.unary(Profile.removeAvatar) { _, context in try await removeAvatar(context) }
    router.unary(Profile.getSubscription) { _, context in try await getSubscription(context) }
    router.unary(Profile.changeSubscriptionPlan) { request, context in
      try await changeSubscriptionPlan(request, context)
    }
  }
}
