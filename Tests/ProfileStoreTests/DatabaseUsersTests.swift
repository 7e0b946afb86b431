import Foundation
import ProfileStore
import Testing

/// `users` through `Database` (`Database+Users.swift`): the profile edit and the profile read.
@Suite("Users")
struct DatabaseUsersTests {
  static let user = UserRecord(
    id: "user-1", email: "Ada@Example.com", emailKey: "ada@example.com", passwordHash: "hash",
    authenticationMethod: 0, externalSubject: nil, firstName: "Ada", lastName: "Lovelace",
    displayName: "Ada", contactPerson: nil, company: "Analytical", phone: "+441234567890",
    phoneVerified: true, subscriptionPlan: 2, planSince: Date(timeIntervalSince1970: 1_800_000_000),
    createdAt: Date(timeIntervalSince1970: 1_800_000_000), version: 1)

  @Test func editNamesWritesTheNamesAndMovesTheVersion() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await pool.write { db in try db.insertUser(Self.user) }
      let edit = NameEdit(
        firstName: "Augusta", lastName: "King", displayName: "Countess", contactPerson: "Charles", company: "")

      let result = try await pool.write { db in try db.editNames(ofUser: Self.user.id, edit, expectedVersion: nil) }
      let stored = try await pool.read { db in try db.user(id: Self.user.id) }

      // Every other column as it was: email, phone, plan, dates.
      var expected = Self.user
      (expected.firstName, expected.lastName, expected.displayName) = ("Augusta", "King", "Countess")
      (expected.contactPerson, expected.company, expected.version) = ("Charles", nil, 2)
      #expect(result == .updated(expected, hasAvatar: false))
      #expect(stored == expected)
    }
  }

  @Test func editNamesKeepsWhatItIsNotGivenAndWritesNothingThatChangesNothing() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await pool.write { db in try db.insertUser(Self.user) }
      let (same, none, company) = (
        NameEdit(firstName: "Ada", displayName: "Ada", company: "Analytical"), NameEdit(),
        NameEdit(company: "Engines")
      )

      let results = try await pool.write { db in
        (
          try db.editNames(ofUser: Self.user.id, same, expectedVersion: 1),
          try db.editNames(ofUser: Self.user.id, none, expectedVersion: nil),
          try db.editNames(ofUser: Self.user.id, company, expectedVersion: 1)
        )
      }

      var expected = Self.user
      (expected.company, expected.version) = ("Engines", 2)
      #expect(results.0 == .unchanged(Self.user, hasAvatar: false))
      #expect(results.1 == .unchanged(Self.user, hasAvatar: false))
      #expect(results.2 == .updated(expected, hasAvatar: false))
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

  @Test func editNamesOfAStaleVersionOrAnUnknownUserWritesNothing() async throws {
    try await withPool(migrations: ProfileSchema.migrations) { pool in
      try await pool.write { db in try db.insertUser(Self.user) }

      let results = try await pool.write { db in
        (
          try db.editNames(ofUser: Self.user.id, NameEdit(firstName: "First"), expectedVersion: 1),
          try db.editNames(ofUser: Self.user.id, NameEdit(firstName: "Second"), expectedVersion: 1),
          // Stale wins over "changes nothing": the caller's version is what is wrong.
          try db.editNames(ofUser: Self.user.id, NameEdit(firstName: "First"), expectedVersion: 1),
          try db.editNames(ofUser: "nobody", NameEdit(firstName: "Third"), expectedVersion: nil)
        )
      }
      let stored = try await pool.read { db in try db.user(id: Self.user.id) }

      var expected = Self.user
      (expected.firstName, expected.version) = ("First", 2)
      #expect(results.0 == .updated(expected, hasAvatar: false))
      #expect(results.1 == .stale(current: 2))
      #expect(results.2 == .stale(current: 2))
      #expect(results.3 == .missing)
      #expect(stored == expected)
    }
  }
}
