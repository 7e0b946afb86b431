/// Hashes and verifies passwords with scrypt, storing self-describing strings so costs can rise later.
///
/// A stored hash looks like `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (the PHC string format: salt and key
/// in unpadded standard Base64). The salt is 16 random bytes and the key 32 bytes. Verification reads
/// the parameters from the stored string, so old hashes keep verifying after ``parameters`` rise; use
/// ``needsRehash(_:)`` after a successful login to upgrade them.
///
/// Passwords are hashed as their UTF-8 bytes, with no Unicode normalization: normalize before calling
/// if the same password may arrive in different forms.
public struct PasswordHasher: Sendable {
  /// Random salt length of new hashes, in bytes.
  public static let saltLength = 16

  /// Derived key length of new hashes, in bytes.
  public static let keyLength = 32

  /// The cost new hashes are made with.
  public let parameters: Parameters

  /// A hasher that makes new hashes with `parameters`; out-of-range values make ``hash(_:)`` throw.
  public init(parameters: Parameters = .recommended) {
    self.parameters = parameters
  }

  /// A new self-describing hash of `password` with a fresh random salt.
  ///
  /// Cost: one scrypt run at ``parameters`` (about 32 MiB and tens of milliseconds at the recommended
  /// ones), on the calling thread; keep it off latency-sensitive executors.
  /// - Throws: ``CryptoError/Code/parametersOutOfRange`` if ``parameters`` exceed the limits in
  ///   ``Parameters``; ``CryptoError/Code/libcryptoFailure`` if randomness or scrypt fails.
  public func hash(_ password: String) throws -> String {
    try parameters.validate()
    let salt = try SecureRandom.bytes(Self.saltLength)
    let key = try parameters.deriveKey(
      password: Array(password.utf8), salt: salt, length: Self.keyLength)
    return PasswordHashString(parameters: parameters, salt: salt, key: key).encoded
  }

  /// Whether `password` matches `stored`, compared in constant time.
  ///
  /// Uses the parameters written in `stored`, not ``parameters``, so its cost is that of the stored
  /// hash; the limits in ``Parameters`` cap it, so a corrupt row cannot make this allocate gigabytes.
  /// - Throws: ``CryptoError/Code/malformedPasswordHash`` if `stored` is not a hash string this type
  ///   writes (a wrong password is `false`, a broken row is an error);
  ///   ``CryptoError/Code/parametersOutOfRange`` if its parameters exceed the limits;
  ///   ``CryptoError/Code/libcryptoFailure`` if scrypt fails.
  public func verify(_ password: String, against stored: String) throws -> Bool {
    let parsed = try PasswordHashString(parsing: stored)
    let candidate = try parsed.parameters.deriveKey(
      password: Array(password.utf8), salt: parsed.salt, length: parsed.key.count)
    return ConstantTime.equals(candidate, parsed.key)
  }

  /// Whether `stored` should be replaced by a fresh ``hash(_:)`` of the password just verified.
  ///
  /// True when any of its parameters (ln, r, p) is below this hasher's, when its salt or key is shorter
  /// than new hashes use, or when it cannot be parsed at all. Never runs scrypt.
  public func needsRehash(_ stored: String) -> Bool {
    guard let parsed = try? PasswordHashString(parsing: stored) else { return true }
    let old = parsed.parameters
    return old.logN < parameters.logN || old.r < parameters.r || old.p < parameters.p
      || parsed.salt.count < Self.saltLength || parsed.key.count < Self.keyLength
  }
}
