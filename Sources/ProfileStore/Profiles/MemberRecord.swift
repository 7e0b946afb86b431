public import Foundation

/// One row of `memberships` with the member's email and display name.
public struct MemberRecord: Sendable, Equatable {
  public var userID: String
  public var email: String
  public var displayName: String
  /// `owner`, `admin`, `billingAdmin` or `member`.
  public var role: String
  public var joinedAt: Date

  public init(userID: String, email: String, displayName: String, role: String, joinedAt: Date) {
    self.userID = userID
    self.email = email
    self.displayName = displayName
    self.role = role
    self.joinedAt = joinedAt
  }
}
