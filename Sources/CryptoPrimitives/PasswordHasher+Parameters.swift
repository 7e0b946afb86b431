extension PasswordHasher {
  /// Scrypt cost parameters: N = 2^``logN``, block size ``r``, parallelism ``p``.
  ///
  /// Memory is about `128 · r · 2^logN` bytes and time grows with `2^logN · r · p`. Values beyond
  /// ``maximumLogN``, ``maximumR``, ``maximumP`` or ``maximumMemory`` are refused, both for new hashes
  /// and when read from a stored string.
  public struct Parameters: Sendable, Hashable, CustomStringConvertible {
    /// The largest accepted log2 of N.
    public static let maximumLogN = 22

    /// The largest accepted block size.
    public static let maximumR = 32

    /// The largest accepted parallelism (OpenSSL runs the lanes one after another, so p multiplies time).
    public static let maximumP = 16

    /// The most memory one hash may need: 256 MiB, eight times the recommended cost.
    public static let maximumMemory = 256 << 20

    /// The cost used today: N = 2^15, r = 8, p = 1, about 32 MiB per hash.
    public static let recommended = Parameters(logN: 15, r: 8, p: 1)

    /// log2 of the scrypt cost N.
    public var logN: Int

    /// The scrypt block size.
    public var r: Int

    /// The scrypt parallelism.
    public var p: Int

    /// Parameters as given; they are checked when used, not here.
    public init(logN: Int, r: Int, p: Int) {
      self.logN = logN
      self.r = r
      self.p = p
    }

    /// The parameter segment of a hash string: `ln=15,r=8,p=1`.
    public var description: String { "ln=\(logN),r=\(r),p=\(p)" }

    /// Throws ``CryptoError/Code/parametersOutOfRange`` unless every value is within the limits.
    func validate() throws {
      guard (1...Self.maximumLogN).contains(logN), (1...Self.maximumR).contains(r),
        (1...Self.maximumP).contains(p)
      else {
        throw CryptoError(
          .parametersOutOfRange,
          "scrypt \(self) outside ln 1...\(Self.maximumLogN), r 1...\(Self.maximumR), "
            + "p 1...\(Self.maximumP)")
      }
      let memory = 128 * r * ((1 << logN) + p)
      guard memory <= Self.maximumMemory else {
        throw CryptoError(
          .parametersOutOfRange,
          "scrypt \(self) needs \(memory >> 20) MiB, above the \(Self.maximumMemory >> 20) MiB limit")
      }
    }

    /// Scrypt with these parameters, after checking them against the limits.
    func deriveKey(password: [UInt8], salt: [UInt8], length: Int) throws -> [UInt8] {
      try validate()
      return try Scrypt.deriveKey(
        password: password, salt: salt, n: 1 << UInt64(logN), r: UInt64(r), p: UInt64(p),
        length: length)
    }
  }
}
