import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfileSubscriptionTests {
  @Test func aNewAccountIsOnTheFreePlanSinceSignUp() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let subscription = try await client.rpc.unary(Profile.getSubscription, Empty(), options: user.options)
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(subscription.plan == .free)
      #expect(subscription.since == profile.memberSince)
    }
  }

  @Test func changingThePlanStartsItNow() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let before = try await client.rpc.unary(Profile.getSubscription, Empty(), options: user.options)
      let changed = try await client.rpc.unary(
        Profile.changeSubscriptionPlan, Profile.ChangePlanRequest(plan: .professional), options: user.options)
      #expect(changed.plan == .professional)
      #expect(changed.since > before.since)
      #expect(abs(changed.since.timeIntervalSinceNow) < 60)
      #expect(try await client.rpc.unary(Profile.getSubscription, Empty(), options: user.options) == changed)
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.subscriptionPlan == .professional)
      #expect(profile.version == 2)

      // The same plan again changes nothing.
      let same = try await client.rpc.unary(
        Profile.changeSubscriptionPlan, Profile.ChangePlanRequest(plan: .professional), options: user.options)
      #expect(same == changed)
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "subscription.change" }.count == 1)

      for plan in [Profile.SubscriptionPlan.enterprise, .standard, .free] {
        let moved = try await client.rpc.unary(
          Profile.changeSubscriptionPlan, Profile.ChangePlanRequest(plan: plan), options: user.options)
        #expect(moved.plan == plan)
      }
      #expect(try await server.auditActions(userID: user.id).filter { $0 == "subscription.change" }.count == 4)
    }
  }

  /// `ChangePlanRequest` with the plan as a plain integer, to send a value the enum lacks.
  struct RawPlanRequest: Codable, Sendable {
    var plan: Int
    enum CodingKeys: Int, CodingKey { case plan = 1 }
  }

  @Test(arguments: [0, 5, -1])
  func anUnknownPlanIsInvalidArgument(plan: Int) async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let raw = MethodDescriptor<RawPlanRequest, Profile.Subscription>(
        service: "Profile", method: "ChangeSubscriptionPlan", kind: .unary)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(raw, RawPlanRequest(plan: plan), options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(try await client.rpc.unary(Profile.getSubscription, Empty(), options: user.options).plan == .free)
    }
  }
}
