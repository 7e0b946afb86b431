public import Foundation
public import RPC
public import WireFormat

/// The credit balance of an organization on credit-based pricing, and its transactions.
///
/// Every method acts on the caller's current organization, except ``consumeCredits``, which
/// metering services call for an organization they name. An organization that is not
/// credit-based answers `FAILED_PRECONDITION` (`NOT_CREDIT_BASED`). Amounts are whole credits.
/// The balance never goes below zero and always equals the sum of the transactions' amounts.
public enum Credits {
  /// The balance, the estimated monthly usage and the most recent transactions. Any member.
  public static let getCredits = MethodDescriptor<Empty, CreditSummary>(
    service: "Credits", method: "GetCredits", kind: .unary)
  /// The transactions, newest first. Any member.
  public static let listTransactions = MethodDescriptor<ListTransactionsRequest, Transaction>(
    service: "Credits", method: "ListTransactions", kind: .serverStreaming)
  /// Adds credits. Owners, admins and billing admins only. Honours `idempotency-key` metadata:
  /// a retry with the same key returns the first result and adds nothing.
  public static let addCredits = MethodDescriptor<AddCreditsRequest, BalanceChange>(
    service: "Credits", method: "AddCredits", kind: .unary)
  /// Takes credits for usage, for the metering services. Refused (`FAILED_PRECONDITION`,
  /// `INSUFFICIENT_CREDITS`) when the balance would go below zero. Honours `idempotency-key`
  /// metadata, scoped to the caller's uid: a retry with the same key returns the first result
  /// and takes nothing more.
  public static let consumeCredits = MethodDescriptor<ConsumeCreditsRequest, BalanceChange>(
    service: "Credits", method: "ConsumeCredits", kind: .unary, access: .trustedCallersOnly)

  public static let descriptor = ServiceDescriptor(
    name: "Credits", methods: [getCredits.info, listTransactions.info, addCredits.info, consumeCredits.info])

  public enum TransactionKind: Int, WireEnum {
    /// Bought or granted: `AddCredits`.
    case added = 1
    /// Used: `ConsumeCredits`.
    case consumed = 2
    /// A correction made by an operator; no method of this contract makes one yet.
    case adjusted = 3
  }

  public struct Transaction: Codable, Sendable, Equatable {
    /// Increasing in the order transactions were made.
    public var id: Int64
    public var time: Date
    /// The change to the balance: positive when credits were added, negative when consumed.
    public var amount: Int64
    public var kind: TransactionKind
    public var reason: String
    /// Who made it: a user id, or `trusted:<uid>` for a metering service.
    public var actor: String
    public init(id: Int64, time: Date, amount: Int64, kind: TransactionKind, reason: String, actor: String) {
      self.id = id
      self.time = time
      self.amount = amount
      self.kind = kind
      self.reason = reason
      self.actor = actor
    }
    enum CodingKeys: Int, CodingKey { case id = 1, time = 2, amount = 3, kind = 4, reason = 5, actor = 6 }
  }

  public struct CreditSummary: Codable, Sendable, Equatable {
    public var organizationId: String
    public var balance: Int64
    /// Credits a month of usage at the recent rate costs: the credits consumed in the last
    /// 30 days (or since the first transaction, when that is more recent), scaled to 30 days.
    public var estimatedMonthlyUsage: Int64
    /// The newest transactions, newest first (at most ten).
    public var recentTransactions: [Transaction]
    public init(organizationId: String, balance: Int64, estimatedMonthlyUsage: Int64, recentTransactions: [Transaction]) {
      self.organizationId = organizationId
      self.balance = balance
      self.estimatedMonthlyUsage = estimatedMonthlyUsage
      self.recentTransactions = recentTransactions
    }
    enum CodingKeys: Int, CodingKey {
      case organizationId = 1, balance = 2, estimatedMonthlyUsage = 3, recentTransactions = 4
    }
  }

  public struct ListTransactionsRequest: Codable, Sendable, Equatable {
    /// Only transactions at or after this time.
    public var from: Date?
    /// Only transactions before this time.
    public var to: Date?
    /// 1 to 10,000; default 100.
    public var limit: Int?
    public init(from: Date? = nil, to: Date? = nil, limit: Int? = nil) {
      self.from = from
      self.to = to
      self.limit = limit
    }
    enum CodingKeys: Int, CodingKey { case from = 1, to = 2, limit = 3 }
  }

  public struct AddCreditsRequest: Codable, Sendable, Equatable {
    /// 1 to 1,000,000,000 credits.
    public var amount: Int64
    /// 1 to 200 characters, such as `Purchase #1234`.
    public var reason: String
    public init(amount: Int64, reason: String) {
      self.amount = amount
      self.reason = reason
    }
    enum CodingKeys: Int, CodingKey { case amount = 1, reason = 2 }
  }

  public struct ConsumeCreditsRequest: Codable, Sendable, Equatable {
    /// The credit-based organization to charge (`org_...`).
    public var organizationId: String
    /// 1 to 1,000,000,000 credits.
    public var amount: Int64
    /// 1 to 200 characters, such as `sms` or `api-calls`: exports group usage by it.
    public var reason: String
    public init(organizationId: String, amount: Int64, reason: String) {
      self.organizationId = organizationId
      self.amount = amount
      self.reason = reason
    }
    enum CodingKeys: Int, CodingKey { case organizationId = 1, amount = 2, reason = 3 }
  }

  /// What `AddCredits` and `ConsumeCredits` answer: the transaction and the balance after it.
  public struct BalanceChange: Codable, Sendable, Equatable {
    public var transaction: Transaction
    public var balance: Int64
    public init(transaction: Transaction, balance: Int64) {
      self.transaction = transaction
      self.balance = balance
    }
    enum CodingKeys: Int, CodingKey { case transaction = 1, balance = 2 }
  }
}
