/// The stored form of a password hash: `$scrypt$ln=<logN>,r=<r>,p=<p>$<salt>$<key>`.
///
/// Parsing is strict (one spelling per value: no signs, no leading zeros, parameters in this order,
/// unpadded Base64) so a stored string round-trips exactly and a corrupt one is noticed.
struct PasswordHashString {
  /// The longest string worth parsing; anything longer is rejected before splitting.
  static let maximumLength = 256

  /// Accepted salt lengths; new hashes use ``PasswordHasher/saltLength``.
  static let saltLengths = 8...64

  /// Accepted key lengths; new hashes use ``PasswordHasher/keyLength``.
  static let keyLengths = 16...64

  let parameters: PasswordHasher.Parameters
  let salt: [UInt8]
  let key: [UInt8]

  init(parameters: PasswordHasher.Parameters, salt: [UInt8], key: [UInt8]) {
    self.parameters = parameters
    self.salt = salt
    self.key = key
  }

  /// Parses `text`, checking shape, encodings, lengths and parameter limits.
  ///
  /// - Throws: ``CryptoError/Code/malformedPasswordHash`` for anything but the exact shape;
  ///   ``CryptoError/Code/parametersOutOfRange`` for well-formed parameters beyond the limits.
  init(parsing text: String) throws {
    guard text.utf8.count <= Self.maximumLength else {
      throw Self.malformed("longer than \(Self.maximumLength) bytes")
    }
    let fields = text.split(separator: "$", omittingEmptySubsequences: false)
    guard fields.count == 5, fields[0].isEmpty else {
      throw Self.malformed("expected $scrypt$<parameters>$<salt>$<key>")
    }
    guard fields[1] == "scrypt" else {
      throw Self.malformed("unsupported algorithm, expected scrypt")
    }

    let assignments = fields[2].split(separator: ",", omittingEmptySubsequences: false)
    var values: [Int] = []
    for (assignment, name) in zip(assignments, ["ln", "r", "p"]) {
      let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, parts[0] == name, let value = Self.decimal(parts[1]) else {
        throw Self.malformed("expected parameters ln=<n>,r=<n>,p=<n>")
      }
      values.append(value)
    }
    guard assignments.count == 3, values.count == 3 else {
      throw Self.malformed("expected parameters ln=<n>,r=<n>,p=<n>")
    }
    let parameters = PasswordHasher.Parameters(logN: values[0], r: values[1], p: values[2])
    try parameters.validate()

    let salt: [UInt8]
    let key: [UInt8]
    do {
      salt = try Base64.decode(fields[3])
      key = try Base64.decode(fields[4])
    } catch let error as CryptoError {
      throw Self.malformed(error.message)
    }
    guard Self.saltLengths.contains(salt.count) else {
      throw Self.malformed("salt of \(salt.count) bytes, expected \(Self.saltLengths)")
    }
    guard Self.keyLengths.contains(key.count) else {
      throw Self.malformed("key of \(key.count) bytes, expected \(Self.keyLengths)")
    }
    self.init(parameters: parameters, salt: salt, key: key)
  }

  /// The string to store.
  var encoded: String {
    "$scrypt$\(parameters)$\(Base64.encode(salt))$\(Base64.encode(key))"
  }

  /// A non-negative decimal of at most four digits without leading zeros, or `nil`.
  private static func decimal(_ text: Substring) -> Int? {
    let digits = Array(text.utf8)
    guard (1...4).contains(digits.count),
      digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
      digits.count == 1 || digits[0] != UInt8(ascii: "0")
    else { return nil }
    return Int(text)
  }

  private static func malformed(_ reason: String) -> CryptoError {
    CryptoError(.malformedPasswordHash, "stored password hash: \(reason)")
  }
}
