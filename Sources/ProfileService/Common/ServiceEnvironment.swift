public import CryptoPrimitives
import Foundation
public import ProfileStore
import RPC

/// What every profile service shares: configuration, the database, hashing, the secrets key
/// and authentication.
public final class ServiceEnvironment: Sendable {
  public let configuration: ServiceConfiguration
  public let database: ProfileDatabase
  public let hasher: PasswordHasher
  public let blocking: BlockingWork
  public let sessions: SessionCache
  /// Password checks in progress per account, counted with the sign-in limit's failures.
  let attempts = AttemptGate()
  public let authenticator: Authenticator
  /// The AES-256-GCM key that seals write-only secrets (`secrets.key` in the data directory).
  public let secretsKey: [UInt8]
  public let codes: VerificationCodes
  /// A hash of a random password, checked when an account does not exist, so a wrong email
  /// costs as much time as a wrong password.
  let decoyHash: String

  public init(configuration: ServiceConfiguration, database: ProfileDatabase) throws {
    self.configuration = configuration
    self.database = database
    hasher = PasswordHasher(parameters: configuration.passwordHashing)
    blocking = BlockingWork(width: 2)
    sessions = SessionCache()
    authenticator = Authenticator(database: database, cache: sessions, now: configuration.now)
    secretsKey = try KeyFile.loadOrCreate(
      at: (configuration.dataDirectory as NSString).appendingPathComponent("secrets.key"))
    codes = VerificationCodes(configuration: configuration, key: secretsKey)
    decoyHash = try hasher.hash(Base32.encode(try SecureRandom.bytes(16)))
  }

  /// Writes the last-used times of sessions and API tokens the session cache gathered: one
  /// write for many calls. When the write fails (or the caller is cancelled first) the times go
  /// back to the cache for the next flush.
  public func flushSessionUse() async throws {
    let lastUsed = sessions.drainLastUsed()
    let tokenLastUsed = sessions.drainTokenLastUsed()
    guard !lastUsed.isEmpty || !tokenLastUsed.isEmpty else { return }
    do {
      try await database.write { db in
        try db.touchSessions(lastUsed)
        try db.touchAPITokens(tokenLastUsed)
      }
    } catch {
      sessions.restoreLastUsed(sessions: lastUsed, tokens: tokenLastUsed)
      throw error
    }
  }

  /// The current time on the configured clock.
  func now() -> Date { configuration.now() }

  /// Hashes a password off the event loop.
  func hashPassword(_ password: String) async throws -> String {
    let hasher = hasher
    return try await blocking.run { try hasher.hash(password) }
  }

  /// Checks a password against a stored hash off the event loop; a nil hash checks a decoy and
  /// fails, taking the same time.
  func verifyPassword(_ password: String, against stored: String?) async throws -> Bool {
    let hasher = hasher
    let target = stored ?? decoyHash
    let matches = try await blocking.run { try hasher.verify(password, against: target) }
    return matches && stored != nil
  }

  /// `currentPassword` must be given and not be absurdly long (its check costs a hash).
  func checkCurrentPassword(_ validator: inout FieldValidator, _ password: String) {
    let maximum = configuration.passwordPolicy.maximumLength
    if password.isEmpty {
      validator.fail("currentPassword", "must be given")
    } else if password.utf8.count > FieldValidator.maximumBytes(forCharacters: maximum) || password.count > maximum {
      validator.fail("currentPassword", "must have at most \(maximum) characters")
    }
  }

  /// Checks `password` against `stored` as one attempt under the sign-in limit of `emailKey`.
  ///
  /// Refused while the account is locked out, and while its failures and the checks of it in
  /// progress reach the limit together, so attempts sent at once cannot outrun the limit while
  /// their hashes run. A wrong password is recorded as a failure, audited as `failedAction`
  /// when `userID` names an account; a nil `stored` checks a decoy and fails.
  ///
  /// - Throws: `RESOURCE_EXHAUSTED` with a retry-after while refused.
  func checkPasswordAttempt(
    _ password: String, against stored: String?, emailKey: String, userID: String?, failedAction: String,
    mutation: MutationContext
  ) async throws -> Bool {
    let limiter = SignInLimiter(configuration: configuration)
    let (gate, ticket) = (attempts, AttemptTicket())
    defer { if ticket.isInside { gate.leave(emailKey) } }
    try await database.write { db in
      try limiter.refuseIfLockedOut(emailKey: emailKey, now: mutation.now, inFlight: gate.count(emailKey), in: db)
      gate.enter(emailKey)
      ticket.markEntered()
    }
    guard try await verifyPassword(password, against: stored) else {
      try await database.write { db in
        try limiter.recordFailure(emailKey: emailKey, userID: userID, action: failedAction, mutation: mutation, in: db)
        // Left in the same step as the failure is written, on the writer's thread where every
        // admission is decided: an attempt counts once all along, never twice and never not.
        gate.leave(emailKey)
        ticket.markLeft()
      }
      return false
    }
    return true
  }

  /// Checks a signed-in user's current password, which guards changes such as a new email,
  /// phone or password, under the sign-in limit: wrong entries count with failed sign-ins, so a
  /// stolen session or API token cannot guess the password faster than a sign-in could.
  ///
  /// - Throws: `RESOURCE_EXHAUSTED` while the account is locked out; `PERMISSION_DENIED` with a
  ///   violation on `currentPassword` when the password is wrong (audited as
  ///   `password.check.failed`).
  func verifyCurrentPassword(_ password: String, of user: UserRecord, mutation: MutationContext) async throws {
    guard
      try await checkPasswordAttempt(
        password, against: user.passwordHash, emailKey: user.emailKey, userID: user.id,
        failedAction: "password.check.failed", mutation: mutation)
    else {
      throw RPCError(
        .permissionDenied, "the current password is wrong",
        details: ErrorDetails(fieldViolations: [.init(field: "currentPassword", description: "is wrong")]))
    }
  }
}
