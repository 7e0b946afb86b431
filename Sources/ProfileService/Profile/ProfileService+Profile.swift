import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ProfileService {
  /// The caller's profile, with their role in the session's organization.
  func getProfile(_ context: ServerContext) async throws -> Profile.UserProfile {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    let found = try await environment.database.read { db in try db.userWithAvatarPresence(id: userID) }
    guard let (user, hasAvatar) = found else { throw Authenticator.unknownToken }
    return try Self.profile(user, hasAvatar: hasAvatar, role: caller.role)
  }

  /// Changes the fields the request sets and returns the updated profile.
  ///
  /// With `expectedVersion` the update applies only to that version (`ABORTED` otherwise);
  /// without it, the fields are merged into the latest version inside the write, so concurrent
  /// updates of different fields are all kept. A request that changes nothing writes nothing
  /// and keeps the version.
  func updateProfile(_ request: Profile.UpdateProfileRequest, _ context: ServerContext) async throws -> Profile.UserProfile {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    validator.optionalText("firstName", request.firstName, length: 1...100)
    validator.optionalText("lastName", request.lastName, length: 1...100)
    validator.optionalText("displayName", request.displayName, length: 1...100)
    Self.clearableText(&validator, "contactPerson", request.contactPerson, maximumLength: 200)
    Self.clearableText(&validator, "company", request.company, maximumLength: 200)
    if let expected = request.expectedVersion { validator.integer("expectedVersion", expected, in: 1...Int64.max) }
    if request.email != nil {
      validator.fail("email", "cannot be changed here; use ChangeEmail, which confirms the new address first")
    }
    try validator.check()

    let mutation = caller.mutation()
    let userID = caller.userID
    let edit = NameEdit(
      firstName: request.firstName, lastName: request.lastName, displayName: request.displayName,
      contactPerson: request.contactPerson, company: request.company)
    let expectedVersion = request.expectedVersion
    let (user, hasAvatar) = try await environment.database.write { db -> (UserRecord, Bool) in
      switch try db.editNames(ofUser: userID, edit, expectedVersion: expectedVersion) {
      case .updated(let user, let hasAvatar):
        try db.audit("profile.update", subject: userID, target: userID, context: mutation)
        return (user, hasAvatar)
      case .unchanged(let user, let hasAvatar):
        return (user, hasAvatar)
      case .stale(let current):
        throw Self.staleVersion(expected: expectedVersion ?? current, current: current)
      case .missing:
        throw Authenticator.unknownToken
      }
    }
    return try Self.profile(user, hasAvatar: hasAvatar, role: caller.role)
  }

  /// The caller's user record.
  ///
  /// - Throws: `UNAUTHENTICATED` when the account is gone (deleted since the token was cached).
  func user(of caller: Caller) async throws -> UserRecord {
    let userID = caller.userID
    guard let user = try await environment.database.read({ db in try db.user(id: userID) }) else {
      throw Authenticator.unknownToken
    }
    return user
  }

  /// Reads the user and whether they have an avatar, for answers built inside a write.
  static func profileParts(_ db: Database, userID: String) throws -> (UserRecord, Bool) {
    guard let parts = try db.userWithAvatarPresence(id: userID) else { throw Authenticator.unknownToken }
    return parts
  }

  /// The wire form of a user record.
  static func profile(_ user: UserRecord, hasAvatar: Bool, role: String?) throws -> Profile.UserProfile {
    guard let method = Profile.AuthenticationMethod(rawValue: user.authenticationMethod) else {
      throw RPCError(.internal, "the account has an unknown authentication method")
    }
    return Profile.UserProfile(
      id: user.id, email: user.email, phone: user.phone, phoneVerified: user.phoneVerified,
      firstName: user.firstName, lastName: user.lastName, displayName: user.displayName,
      contactPerson: user.contactPerson, company: user.company, hasAvatar: hasAvatar, memberSince: user.createdAt,
      subscriptionPlan: try plan(of: user), authenticationMethod: method, version: user.version, role: role)
  }

  /// A text field where the empty string clears the value: up to `maximumLength` characters,
  /// no control characters, and not only spaces.
  static func clearableText(_ validator: inout FieldValidator, _ field: String, _ value: String?, maximumLength: Int) {
    guard let value else { return }
    validator.text(field, value, length: 0...maximumLength)
    if !value.isEmpty && value.allSatisfy(\.isWhitespace) {
      validator.fail(field, "must not be blank; send an empty string to clear it")
    }
  }

  static func staleVersion(expected: Int64, current: Int64?) -> RPCError {
    RPCError(
      .aborted,
      "the profile changed since version \(expected)\(current.map { " (it is at version \($0) now)" } ?? ""); read it again and retry",
      details: ErrorDetails(
        preconditionViolations: [
          .init(type: "VERSION_MISMATCH", subject: "expectedVersion", description: "the profile is at another version")
        ]))
  }
}
