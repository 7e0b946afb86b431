public import Foundation

/// One row of `credit_transactions`: a change to an organization's credit balance.
public struct CreditTransactionRecord: Sendable, Equatable {
  public var id: Int64
  public var organizationID: String
  public var time: Date
  /// `Credits.TransactionKind` raw value.
  public var kind: Int
  /// The change to the balance: positive for credits added, negative for credits consumed.
  public var amount: Int64
  public var reason: String
  /// A user id, or `trusted:<uid>` for a metering service.
  public var actor: String

  public init(id: Int64, organizationID: String, time: Date, kind: Int, amount: Int64, reason: String, actor: String) {
    self.id = id
    self.organizationID = organizationID
    self.time = time
    self.kind = kind
    self.amount = amount
    self.reason = reason
    self.actor = actor
  }
}
