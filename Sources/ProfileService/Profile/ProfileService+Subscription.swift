import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ProfileService {
  /// The caller's plan and since when they have it.
  func getSubscription(_ context: ServerContext) async throws -> Profile.Subscription {
    let caller = try await environment.authenticator.caller(context)
    let user = try await user(of: caller)
    return Profile.Subscription(plan: try Self.plan(of: user), since: user.planSince)
  }

  /// Moves the caller to `plan`, which starts now. Asking for the current plan changes nothing
  /// (no write, no audit entry) and returns it with its original start.
  func changeSubscriptionPlan(_ request: Profile.ChangePlanRequest, _ context: ServerContext) async throws -> Profile.Subscription {
    let caller = try await environment.authenticator.caller(context)
    let mutation = caller.mutation()
    let userID = caller.userID
    let user = try await environment.database.write { db -> UserRecord in
      guard let user = try db.user(id: userID) else { throw Authenticator.unknownToken }
      guard user.subscriptionPlan != request.plan.rawValue else { return user }
      var changed = user
      changed.subscriptionPlan = request.plan.rawValue
      changed.planSince = mutation.now
      guard try db.updateUser(changed) != nil else { throw Self.staleVersion(expected: user.version, current: nil) }
      try db.audit("subscription.change", subject: userID, target: userID, context: mutation)
      // Read back, so `since` is the stored (microsecond) time that GetSubscription will show.
      guard let stored = try db.user(id: userID) else { throw Authenticator.unknownToken }
      return stored
    }
    return Profile.Subscription(plan: try Self.plan(of: user), since: user.planSince)
  }

  static func plan(of user: UserRecord) throws -> Profile.SubscriptionPlan {
    guard let plan = Profile.SubscriptionPlan(rawValue: user.subscriptionPlan) else {
      throw RPCError(.internal, "the account has an unknown subscription plan")
    }
    return plan
  }
}
