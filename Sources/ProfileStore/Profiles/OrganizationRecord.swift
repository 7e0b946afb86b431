public import Foundation

/// One row of `organizations`.
public struct OrganizationRecord: Sendable, Equatable {
  public var id: String
  public var name: String
  /// The account's own organization, made at sign-up.
  public var personal: Bool
  /// The user who created it; the 3-organization limit counts these.
  public var createdBy: String
  public var createdAt: Date
  public var enforceMFA: Bool
  public var apiTokensEnabled: Bool
  public var creditBased: Bool

  public init(
    id: String, name: String, personal: Bool, createdBy: String, createdAt: Date, enforceMFA: Bool,
    apiTokensEnabled: Bool, creditBased: Bool
  ) {
    self.id = id
    self.name = name
    self.personal = personal
    self.createdBy = createdBy
    self.createdAt = createdAt
    self.enforceMFA = enforceMFA
    self.apiTokensEnabled = apiTokensEnabled
    self.creditBased = creditBased
  }
}
