public import CryptoPrimitives
import Foundation
public import ProfileStore

/// What every profile service shares: configuration, the database, hashing, the secrets key
/// and authentication.
public final class ServiceEnvironment: Sendable {
  public let configuration: ServiceConfiguration
  public let database: ProfileDatabase
  public let hasher: PasswordHasher
  public let blocking: BlockingWork
  public let sessions: SessionCache
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
  /// write for many calls.
  public func flushSessionUse() async throws {
    let lastUsed = sessions.drainLastUsed()
    let tokenLastUsed = sessions.drainTokenLastUsed()
    guard !lastUsed.isEmpty || !tokenLastUsed.isEmpty else { return }
    try await database.write { db in
      try db.touchSessions(lastUsed)
      try db.touchAPITokens(tokenLastUsed)
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
}
