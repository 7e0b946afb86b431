import Foundation
import ProfileStore
import Testing

/// `users` through `Database` (`Database+Users.swift`): the narrow profile update.
@Suite("Users")
struct DatabaseUsersTests {
  static let user = UserRecord(
    id: "user-1", email: "Ada@Example.com", emailKey: "ada@example.com", passwordHash: "hash",
    authenticationMethod: 0, externalSubject: nil, firstName: "Ada", lastName: "Lovelace",
    displayName: "Ada", contactPerson: nil, company: "Analytical", phone: "+441234567890",
    phoneVerified: true, subscriptionPlan: 2, planSince: Date(timeIntervalSince1970: 1_800_000_000),
    createdAt: Date(timeIntervalSince1970: 1_800_000_000), version: 1)

  @Test func updateNamesWritesTheNamesAndMovesTheVersion() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await pool.write { db in try db.insertUser(Self.user) }
      var changed = Self.user
      (changed.firstName, changed.lastName, changed.displayName) = ("Augusta", "King", "Countess")
      (changed.contactPerson, changed.company) = ("Charles", nil)

      let edit = changed
      let written = try await pool.write { db in try db.updateNames(of: Self.user, to: edit) }
      let stored = try await pool.read { db in try db.user(id: Self.user.id) }

      var expected = changed
      expected.version = 2
      #expect(written == expected)
      #expect(stored == expected)
    }
  }

  @Test func userWithAvatarPresenceReadsTheUserAndWhetherAnAvatarIsStored() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      var other = Self.user
      (other.id, other.email, other.emailKey) = ("user-2", "b@example.com", "b@example.com")
      let second = other
      try await pool.write { db in
        try db.insertUser(Self.user)
        try db.insertUser(second)
        try db.replaceAvatar(
          AvatarRecord(userID: second.id, contentType: "image/png", image: Data([1, 2, 3]), updatedAt: Date()))
      }
      let (without, with, missing) = try await pool.read { db in
        (
          try db.userWithAvatarPresence(id: Self.user.id), try db.userWithAvatarPresence(id: second.id),
          try db.userWithAvatarPresence(id: "nobody")
        )
      }
      #expect(without?.user == Self.user && without?.hasAvatar == false)
      #expect(with?.user == second && with?.hasAvatar == true)
      #expect(missing == nil)

      try await pool.write { db in _ = try db.deleteAvatar(userID: second.id) }
      #expect(try await pool.read { db in try db.userWithAvatarPresence(id: second.id) }?.hasAvatar == false)
    }
  }

  @Test func updateNamesOfAStaleVersionWritesNothing() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await pool.write { db in try db.insertUser(Self.user) }
      var first = Self.user
      first.firstName = "First"
      var second = Self.user
      second.firstName = "Second"

      let (one, two) = (first, second)
      let results = try await pool.write { db in
        (try db.updateNames(of: Self.user, to: one), try db.updateNames(of: Self.user, to: two))
      }
      let stored = try await pool.read { db in try db.user(id: Self.user.id) }

      #expect(results.0?.firstName == "First")
      #expect(results.1 == nil)
      #expect(stored?.firstName == "First")
      #expect(stored?.version == 2)
    }
  }

  @Test(arguments: ["email", "phoneVerified", "version"])
  func updateNamesRefusesOtherColumns(column: String) async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await pool.write { db in try db.insertUser(Self.user) }
      var changed = Self.user
      changed.firstName = "Augusta"
      switch column {
      case "email": changed.email = "other@example.com"
      case "phoneVerified": changed.phoneVerified = false
      default: changed.version = 7
      }

      let edit = changed
      await #expect(throws: DatabaseError.self) {
        try await pool.write { db in try db.updateNames(of: Self.user, to: edit) }
      }
      #expect(try await pool.read { db in try db.user(id: Self.user.id) } == Self.user)
    }
  }
}
