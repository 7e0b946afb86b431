/// What a new password must satisfy. The default is the seeds' rule: at least six characters
/// with at least one digit or special character; deployments can demand more.
public struct PasswordPolicy: Sendable {
  public var minimumLength = 6
  /// Longer passwords are refused so a caller cannot make hashing arbitrarily expensive.
  public var maximumLength = 256
  public var requireDigitOrSpecial = true
  public var requireUppercaseAndLowercase = false

  public init() {}

  /// Why `password` is not acceptable, or nil when it is.
  public func problem(with password: String) -> String? {
    // Bounded in bytes before anything is counted: a password's size is what its hash costs.
    if password.utf8.count > FieldValidator.maximumBytes(forCharacters: maximumLength) {
      return "must have at most \(maximumLength) characters and \(FieldValidator.maximumBytes(forCharacters: maximumLength)) bytes in UTF-8"
    }
    if password.count < minimumLength { return "must have at least \(minimumLength) characters" }
    if password.count > maximumLength { return "must have at most \(maximumLength) characters" }
    if password.allSatisfy(\.isWhitespace) { return "must not be only spaces" }
    if requireDigitOrSpecial && password.allSatisfy({ $0.isLetter }) {
      return "must contain a digit or a special character"
    }
    if requireUppercaseAndLowercase
      && !(password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase))
    {
      return "must contain upper- and lower-case letters"
    }
    if password.contains(where: { $0.isNewline }) || password.unicodeScalars.contains(where: { $0.value < 0x20 }) {
      return "must not contain control characters"
    }
    return nil
  }
}
