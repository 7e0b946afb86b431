import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfileGetAndUpdateTests {
  @Test func getProfileAfterSignUpShowsEveryField() async throws {
    try await ProfileTestServer.with { _, client throws in
      let before = Date()
      let user = try await TestUser.create(client, email: "Ada@Example.com", company: "Analytical Engines")
      let after = Date()
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.id == user.id)
      #expect(profile.email == "Ada@Example.com")
      #expect(profile.phone == nil)
      #expect(profile.phoneVerified == false)
      #expect(profile.firstName == "Ada")
      #expect(profile.lastName == "Lovelace")
      #expect(profile.displayName == "Ada Lovelace")
      #expect(profile.contactPerson == nil)
      #expect(profile.company == "Analytical Engines")
      #expect(profile.hasAvatar == false)
      // Stored with microsecond precision.
      #expect(profile.memberSince >= before.addingTimeInterval(-0.001) && profile.memberSince <= after.addingTimeInterval(0.001))
      #expect(profile.subscriptionPlan == .free)
      #expect(profile.authenticationMethod == .password)
      #expect(profile.version == 1)
      #expect(profile.role == "owner")
    }
  }

  @Test func aPartialUpdateKeepsTheOtherFields() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client, company: "Analytical Engines")
      let renamed = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Augusta"), options: user.options)
      #expect(renamed.firstName == "Augusta")
      #expect(renamed.lastName == "Lovelace")
      #expect(renamed.displayName == "Ada Lovelace")
      #expect(renamed.company == "Analytical Engines")
      #expect(renamed.version == 2)

      let contact = try await client.rpc.unary(
        Profile.updateProfile,
        Profile.UpdateProfileRequest(displayName: "Countess of Lovelace", contactPerson: "Charles Babbage"),
        options: user.options)
      #expect(contact.firstName == "Augusta")
      #expect(contact.displayName == "Countess of Lovelace")
      #expect(contact.contactPerson == "Charles Babbage")
      #expect(contact.company == "Analytical Engines")
      #expect(contact.version == 3)

      // Empty strings clear the optional fields.
      let cleared = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(contactPerson: "", company: ""), options: user.options)
      #expect(cleared.contactPerson == nil)
      #expect(cleared.company == nil)
      #expect(cleared.displayName == "Countess of Lovelace")
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options) == cleared)
    }
  }

  @Test func aStaleExpectedVersionIsAbortedAndChangesNothing() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let first = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(lastName: "King", expectedVersion: 1), options: user.options)
      #expect(first.version == 2)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile, Profile.UpdateProfileRequest(lastName: "Byron", expectedVersion: 1), options: user.options)
      }
      #expect(error?.code == .aborted)
      #expect(error?.details.preconditionViolations?.first?.type == "VERSION_MISMATCH")
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.lastName == "King")
      #expect(profile.version == 2)
      // The current version works.
      let second = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(lastName: "Byron", expectedVersion: 2), options: user.options)
      #expect(second.lastName == "Byron" && second.version == 3)
    }
  }

  @Test func concurrentUpdatesWithoutAVersionAreAllKept() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let requests = [
        Profile.UpdateProfileRequest(firstName: "Augusta"),
        Profile.UpdateProfileRequest(lastName: "King"),
        Profile.UpdateProfileRequest(displayName: "The Countess"),
        Profile.UpdateProfileRequest(contactPerson: "Charles Babbage"),
        Profile.UpdateProfileRequest(company: "Analytical Engines"),
      ]
      try await withThrowingTaskGroup(of: Void.self) { group in
        for request in requests {
          group.addTask { _ = try await client.rpc.unary(Profile.updateProfile, request, options: user.options) }
        }
        try await group.waitForAll()
      }
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.firstName == "Augusta")
      #expect(profile.lastName == "King")
      #expect(profile.displayName == "The Countess")
      #expect(profile.contactPerson == "Charles Babbage")
      #expect(profile.company == "Analytical Engines")
      #expect(profile.version == 6)
    }
  }

  @Test func anUpdateThatChangesNothingKeepsTheVersionAndIsNotAudited() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let same = try await client.rpc.unary(
        Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Ada"), options: user.options)
      #expect(same.version == 1)
      let empty = try await client.rpc.unary(Profile.updateProfile, Profile.UpdateProfileRequest(), options: user.options)
      #expect(empty.version == 1)
      #expect(try await server.auditActions(userID: user.id).contains("profile.update") == false)
      // A stale version is refused even when nothing would change.
      _ = try await client.rpc.unary(Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Augusta"), options: user.options)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.updateProfile, Profile.UpdateProfileRequest(expectedVersion: 1), options: user.options)
      }
      #expect(error?.code == .aborted)
    }
  }

  @Test func emailIsRefusedAndPointsToChangeEmail() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile, Profile.UpdateProfileRequest(firstName: "Augusta", email: "new@example.com"),
          options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == ["email"])
      #expect(error?.details.fieldViolations?.first?.description.contains("ChangeEmail") == true)
      let profile = try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options)
      #expect(profile.firstName == "Ada" && profile.email == user.email && profile.version == 1)
    }
  }

  @Test func badFieldsGetOneViolationEachAndNothingIsWritten() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile,
          Profile.UpdateProfileRequest(
            firstName: "Ada\u{07}", lastName: "", displayName: String(repeating: "x", count: 101),
            contactPerson: "   ", company: String(repeating: "c", count: 201), expectedVersion: 0),
          options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      let fields = Set(error?.details.fieldViolations?.map(\.field) ?? [])
      #expect(fields == ["firstName", "lastName", "displayName", "contactPerson", "company", "expectedVersion"])
      #expect(error?.details.fieldViolations?.count == 6)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).version == 1)
    }
  }

  @Test(arguments: [
    ("firstName", Profile.UpdateProfileRequest(firstName: "Ada\nLovelace")),
    ("lastName", Profile.UpdateProfileRequest(lastName: "Love\u{0}lace")),
    ("displayName", Profile.UpdateProfileRequest(displayName: "Ada\u{1B}[31m")),
    ("contactPerson", Profile.UpdateProfileRequest(contactPerson: "Charles\tBabbage")),
    ("company", Profile.UpdateProfileRequest(company: "Engines\u{202E}")),
  ])
  func controlCharactersAreRefusedOnTheirField(field: String, request: Profile.UpdateProfileRequest) async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.updateProfile, request, options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == [field])
    }
  }

  @Test func lengthLimitsAreInclusive() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let longest = try await client.rpc.unary(
        Profile.updateProfile,
        Profile.UpdateProfileRequest(
          firstName: String(repeating: "a", count: 100), lastName: "L", displayName: String(repeating: "d", count: 100),
          contactPerson: String(repeating: "p", count: 200), company: String(repeating: "c", count: 200)),
        options: user.options)
      #expect(longest.firstName.count == 100 && longest.lastName == "L")
      #expect(longest.contactPerson?.count == 200 && longest.company?.count == 200)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.updateProfile, Profile.UpdateProfileRequest(contactPerson: String(repeating: "p", count: 201)),
          options: user.options)
      }
      #expect(error?.details.fieldViolations?.map(\.field) == ["contactPerson"])
    }
  }
}
