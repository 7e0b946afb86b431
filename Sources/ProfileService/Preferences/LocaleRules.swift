import Foundation

/// What `Preferences` accepts as a language, a country and a time zone.
enum LocaleRules {
  /// The languages the portal is translated into, as BCP 47 tags.
  static let supportedLanguages = ["en-US", "en-GB", "es-ES", "de-DE", "fr-FR", "it-IT", "pt-BR", "nl-NL", "ja-JP"]

  /// The supported tag `tag` names, spelled as in ``supportedLanguages``; nil when it is not
  /// supported. BCP 47 tags are case-insensitive, so `en-us` is `en-US`.
  static func supportedLanguage(_ tag: String) -> String? {
    guard tag.utf8.count <= 16, tag.allSatisfy(\.isASCII) else { return nil }
    let key = tag.lowercased()
    return supportedLanguages.first { $0.lowercased() == key }
  }

  /// The 249 officially assigned ISO 3166-1 alpha-2 codes: Foundation's ISO regions without the
  /// reserved and user-assigned codes it also knows (Ascension's `AC`, `EU`, `UN`, Kosovo's `XK`...).
  static let countryCodes: Set<String> = {
    let notAssigned: Set<String> = ["AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XK"]
    let regions = Locale.Region.isoRegions.map(\.identifier).filter { code in
      code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }
    return Set(regions).subtracting(notAssigned)
  }()

  /// Whether `code` is an assigned ISO 3166-1 alpha-2 code, in upper case.
  static func isCountry(_ code: String) -> Bool {
    countryCodes.contains(code)
  }

  /// Where the system's IANA time-zone database lives.
  static let zoneInfoDirectory = "/usr/share/zoneinfo"

  /// Whether `name` is an IANA time-zone name, such as `Europe/Madrid`, `UTC` or
  /// `America/Argentina/Buenos_Aires`.
  ///
  /// The name must look like one (letters, digits, `_`, `+`, `-`, and `/` between parts that
  /// start with a letter: nothing like `../etc/passwd`), Foundation must know it, and it must be
  /// in Foundation's list of zones or be a zone file (`TZif`) of the system's database. Offsets
  /// such as `GMT+5`, which Foundation accepts but are no IANA names, fail.
  static func isTimeZone(_ name: String) -> Bool {
    guard (1...64).contains(name.utf8.count),
      name.utf8.allSatisfy({ byte in
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
          || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
          || byte == UInt8(ascii: "/")
      }),
      name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ $0.first?.isLetter == true }),
      TimeZone(identifier: name) != nil
    else { return false }
    return name == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(name) || isZoneFile(name)
  }

  /// Whether the system's time-zone database has a zone file (starting `TZif`) for `name`.
  private static func isZoneFile(_ name: String) -> Bool {
    guard let file = FileHandle(forReadingAtPath: zoneInfoDirectory + "/" + name) else { return false }
    defer { try? file.close() }
    guard let magic = try? file.read(upToCount: 4) else { return false }
    return magic == Data("TZif".utf8)
  }
}
