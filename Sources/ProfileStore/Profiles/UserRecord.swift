public import Foundation

/// One row of `users`.
public struct UserRecord: Sendable, Equatable {
  public var id: String
  /// As the user typed it.
  public var email: String
  /// The unique lookup key: the email lower-cased.
  public var emailKey: String
  /// Nil for accounts that sign in through an external provider.
  public var passwordHash: String?
  /// `Profile.AuthenticationMethod` raw value.
  public var authenticationMethod: Int
  public var externalSubject: String?
  public var firstName: String
  public var lastName: String
  public var displayName: String
  public var contactPerson: String?
  public var company: String?
  public var phone: String?
  public var phoneVerified: Bool
  /// `Profile.SubscriptionPlan` raw value.
  public var subscriptionPlan: Int
  public var planSince: Date
  public var createdAt: Date
  public var version: Int64

  public init(
    id: String, email: String, emailKey: String, passwordHash: String?, authenticationMethod: Int,
    externalSubject: String?, firstName: String, lastName: String, displayName: String,
    contactPerson: String?, company: String?, phone: String?, phoneVerified: Bool,
    subscriptionPlan: Int, planSince: Date, createdAt: Date, version: Int64
  ) {
    self.id = id
    self.email = email
    self.emailKey = emailKey
    self.passwordHash = passwordHash
    self.authenticationMethod = authenticationMethod
    self.externalSubject = externalSubject
    self.firstName = firstName
    self.lastName = lastName
    self.displayName = displayName
    self.contactPerson = contactPerson
    self.company = company
    self.phone = phone
    self.phoneVerified = phoneVerified
    self.subscriptionPlan = subscriptionPlan
    self.planSince = planSince
    self.createdAt = createdAt
    self.version = version
  }
}
