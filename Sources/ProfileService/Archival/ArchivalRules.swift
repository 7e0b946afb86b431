import ProfileAPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `UpdateArchivalSettings` accepts for each field of an S3 or MySQL destination.
enum ArchivalRules {
  static let intervalMinutes = 5...10_080
  static let defaultMySQLPort = 3306

  /// Checks an S3 destination, reporting bad fields as `s3.<field>`.
  static func validate(_ s3: Archival.S3Input, into validator: inout FieldValidator) {
    if let problem = bucketProblem(s3.bucket) { validator.fail("s3.bucket", problem) }
    if !isRegion(s3.region) { validator.fail("s3.region", "must be an AWS region such as eu-west-1") }
    validator.optionalText("s3.prefix", s3.prefix, length: 0...1024)
    if !(16...128).contains(s3.accessKeyId.utf8.count) || !s3.accessKeyId.utf8.allSatisfy(isAlphanumeric) {
      validator.fail("s3.accessKeyId", "must be 16 to 128 letters and digits")
    }
    validator.optionalText("s3.secretAccessKey", s3.secretAccessKey, length: 1...1024)
  }

  /// Checks a MySQL destination, reporting bad fields as `mysql.<field>`.
  static func validate(_ mysql: Archival.MySQLInput, into validator: inout FieldValidator) {
    if !isHost(mysql.host) { validator.fail("mysql.host", "must be a host name or an IP address of at most 253 characters") }
    if let port = mysql.port { validator.integer("mysql.port", port, in: 1...65_535) }
    if !isIdentifier(mysql.database) { validator.fail("mysql.database", "must be 1 to 64 letters, digits, _ or $") }
    if !isIdentifier(mysql.table) { validator.fail("mysql.table", "must be 1 to 64 letters, digits, _ or $") }
    if !isIdentifier(mysql.user, extra: [UInt8(ascii: "."), UInt8(ascii: "-")]) {
      validator.fail("mysql.user", "must be 1 to 64 letters, digits, _, $, . or -")
    }
    validator.optionalText("mysql.password", mysql.password, length: 1...1024)
  }

  /// Why `name` breaks Amazon S3's bucket naming rules, or nil when it keeps them.
  static func bucketProblem(_ name: String) -> String? {
    let bytes = Array(name.utf8)
    guard (3...63).contains(bytes.count) else { return "must have 3 to 63 characters" }
    guard bytes.allSatisfy({ isLowercaseOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
      return "must contain only lowercase letters, digits, dots and hyphens"
    }
    guard isLowercaseOrDigit(bytes.first!), isLowercaseOrDigit(bytes.last!) else {
      return "must begin and end with a letter or digit"
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
      return "must not have two periods, or a period and a hyphen, next to each other"
    }
    let parts = name.split(separator: ".")
    if parts.count == 4 && parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) { return "must not be an IP address" }
    let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
    if reservedPrefixes.contains(where: name.hasPrefix) || reservedSuffixes.contains(where: name.hasSuffix) {
      return "must not use a prefix or suffix that Amazon S3 reserves"
    }
    return nil
  }

  /// `eu-west-1`, `us-gov-west-1`, `ap-southeast-2`: two letters, words, a number.
  static func isRegion(_ region: String) -> Bool {
    let parts = region.split(separator: "-", omittingEmptySubsequences: false)
    guard region.utf8.count <= 32, parts.count >= 3, let area = parts.first, let number = parts.last else {
      return false
    }
    return area.utf8.count == 2 && area.utf8.allSatisfy(isLowercase)
      && (1...2).contains(number.utf8.count) && number.utf8.allSatisfy(isDigit)
      && parts.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isLowercase) }
  }

  /// A DNS host name (letters, digits and hyphens in dot-separated labels of at most 63) or an
  /// IPv4 or IPv6 address.
  static func isHost(_ host: String) -> Bool {
    guard (1...253).contains(host.utf8.count) else { return false }
    if isIPAddress(host) { return true }
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.allSatisfy({ label in
      (1...63).contains(label.utf8.count) && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        && label.first != "-" && label.last != "-"
    }) else { return false }
    // `300.1.2.3` is neither an address nor a name: a top-level label is never all digits.
    return !(labels.last!.allSatisfy(\.isNumber))
  }

  static func isIPAddress(_ text: String) -> Bool {
    var storage = in6_addr()
    return inet_pton(AF_INET, text, &storage) == 1 || inet_pton(AF_INET6, text, &storage) == 1
  }

  /// 1 to 64 of `[A-Za-z0-9_$]` and `extra`, not all digits.
  static func isIdentifier(_ name: String, extra: Set<UInt8> = []) -> Bool {
    (1...64).contains(name.utf8.count)
      && name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "$") || extra.contains($0) }
      && !name.utf8.allSatisfy(isDigit)
  }

  private static func isLowercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
  private static func isLowercaseOrDigit(_ byte: UInt8) -> Bool { isLowercase(byte) || isDigit(byte) }
  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isLowercaseOrDigit(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
  }
}
