public import Foundation

/// One row of `mfa_factors`: a user's authenticator-app secret, sealed.
public struct MFAFactorRecord: Sendable, Equatable {
  public var userID: String
  /// The TOTP secret sealed with the secrets key; never stored in the clear.
  public var sealedSecret: [UInt8]
  public var createdAt: Date
  /// When the first code confirmed the enrollment; nil while it is pending (MFA is off then).
  public var confirmedAt: Date?
  /// The time step of the last accepted code: a code of this step or an earlier one is a replay.
  public var lastStep: Int

  public var isEnabled: Bool { confirmedAt != nil }

  public init(userID: String, sealedSecret: [UInt8], createdAt: Date, confirmedAt: Date?, lastStep: Int) {
    self.userID = userID
    self.sealedSecret = sealedSecret
    self.createdAt = createdAt
    self.confirmedAt = confirmedAt
    self.lastStep = lastStep
  }
}
