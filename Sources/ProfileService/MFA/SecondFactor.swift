import CryptoPrimitives
import Foundation
import ProfileStore

/// Checks and issues second-factor material: TOTP secrets (sealed at rest), codes from the app
/// (each accepted once) and recovery codes (single-use, stored as keyed hashes).
struct SecondFactor: Sendable {
  /// Recovery codes per issue.
  static let recoveryCodeCount = 10
  /// Random characters per recovery code (base32: 5 bits each, 50 bits per code).
  static let recoveryCodeLength = 10
  /// Steps either side of now an app's code may come from: its clock may be 30 s off.
  static let drift = 1
  /// Bytes of a TOTP secret: 160 bits, the HMAC-SHA1 block RFC 4226 recommends.
  static let secretLength = 20
  /// The issuer apps show next to the account.
  static let issuer = "profiled"

  private let secretsKey: [UInt8]
  /// A key of its own for recovery-code hashes, derived from the secrets key, so a copy of the
  /// database alone cannot test guesses offline.
  private let recoveryKey: [UInt8]

  init(secretsKey: [UInt8]) {
    self.secretsKey = secretsKey
    recoveryKey = HMAC.authenticationCode(
      key: secretsKey, message: Array("profiled mfa recovery codes v1".utf8), algorithm: .sha256)
  }

  /// What a submitted code turned out to be.
  enum Outcome: Equatable {
    case appCode
    case recoveryCode
    /// Wrong, replayed, or a recovery code where only an app code is taken.
    case wrong
  }

  func newSecret() throws -> [UInt8] { try SecureRandom.bytes(Self.secretLength) }

  func seal(_ secret: [UInt8], userID: String) throws -> [UInt8] {
    try AESGCM.seal(secret, key: secretsKey, associatedData: Self.sealingContext(userID))
  }

  func secret(of factor: MFAFactorRecord) throws -> [UInt8] {
    try AESGCM.open(factor.sealedSecret, key: secretsKey, associatedData: Self.sealingContext(factor.userID))
  }

  /// Checks `code` against the user's factor inside the caller's write, and uses it up: an app
  /// code's time step must be later than the last one accepted, and a recovery code is marked
  /// used.
  func check(
    _ code: String, factor: MFAFactorRecord, acceptingRecoveryCodes: Bool, now: Date, in db: Database
  ) throws -> Outcome {
    if code.utf8.count == 6 {
      guard let step = TOTP.validate(code: code, secret: try secret(of: factor), time: now, drift: Self.drift),
        let stepValue = Int(exactly: step), stepValue > factor.lastStep
      else { return .wrong }
      return try db.advanceMFAStep(userID: factor.userID, to: stepValue) ? .appCode : .wrong
    }
    guard acceptingRecoveryCodes, let normalized = Self.normalizedRecoveryCode(code) else { return .wrong }
    let used = try db.useRecoveryCode(userID: factor.userID, hash: recoveryHash(normalized, userID: factor.userID), at: now)
    return used ? .recoveryCode : .wrong
  }

  /// ``check(_:factor:acceptingRecoveryCodes:now:in:)`` under the sign-in limit, in the caller's
  /// write: refuses while the account is locked out, and records a wrong code (or a missing
  /// `factor`) as a failed attempt in the same write, answering false.
  ///
  /// - Throws: `RESOURCE_EXHAUSTED` while the account is locked out.
  func verify(
    _ code: String, against factor: MFAFactorRecord?, acceptingRecoveryCodes: Bool, userID: String, emailKey: String,
    limiter: SignInLimiter, failedAction: String, mutation: MutationContext, in db: Database
  ) throws -> Bool {
    try limiter.attempt(emailKey: emailKey, userID: userID, failedAction: failedAction, mutation: mutation, in: db) {
      guard let factor else { return false }
      return try check(code, factor: factor, acceptingRecoveryCodes: acceptingRecoveryCodes, now: mutation.now, in: db) != .wrong
    } failed: { !$0 }
  }

  /// New recovery codes, formatted `xxxxx-xxxxx`, and the hashes to store.
  func newRecoveryCodes(userID: String) throws -> (codes: [String], hashes: [[UInt8]]) {
    var codes: [String] = []
    var hashes: [[UInt8]] = []
    while codes.count < Self.recoveryCodeCount {
      // 7 random bytes give 12 base32 characters; the first 10 carry 50 uniformly random bits.
      let normalized = String(Base32.encode(try SecureRandom.bytes(7)).lowercased().prefix(Self.recoveryCodeLength))
      let hash = recoveryHash(normalized, userID: userID)
      guard !hashes.contains(hash) else { continue }
      codes.append("\(normalized.prefix(5))-\(normalized.dropFirst(5))")
      hashes.append(hash)
    }
    return (codes, hashes)
  }

  /// The provisioning URI apps scan.
  func uri(secret: [UInt8], account: String) -> String {
    TOTP.provisioningURI(secret: secret, account: account, issuer: Self.issuer)
  }

  /// A recovery code without case, spaces or dashes; nil when it cannot be one.
  static func normalizedRecoveryCode(_ code: String) -> String? {
    let kept = code.lowercased().filter { $0 != "-" && $0 != " " }
    guard kept.count == recoveryCodeLength, kept.allSatisfy({ ("a"..."z").contains($0) || ("2"..."7").contains($0) })
    else { return nil }
    return kept
  }

  private func recoveryHash(_ normalized: String, userID: String) -> [UInt8] {
    HMAC.authenticationCode(key: recoveryKey, message: Array("\(userID)|\(normalized)".utf8), algorithm: .sha256)
  }

  private static func sealingContext(_ userID: String) -> [UInt8] {
    Array("mfa_factors.secret|\(userID)".utf8)
  }
}
