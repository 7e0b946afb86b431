public import Foundation

/// One row of `connections`: a user's connection to an application.
public struct ConnectionRecord: Sendable, Equatable {
  public var id: String
  public var userID: String
  /// A lowercase identifier such as `salesforce`.
  public var application: String
  public var displayName: String
  /// How it connects, such as `oauth2`.
  public var kind: String
  /// The sealed credential, when one was given.
  public var credential: [UInt8]?
  public var createdAt: Date

  public init(
    id: String, userID: String, application: String, displayName: String, kind: String, credential: [UInt8]?,
    createdAt: Date
  ) {
    self.id = id
    self.userID = userID
    self.application = application
    self.displayName = displayName
    self.kind = kind
    self.credential = credential
    self.createdAt = createdAt
  }
}
