import Foundation
import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Credits`: the credit balance of organizations on credit-based pricing.
///
/// The balance lives on a row of `credit_balances` and every change is a row of
/// `credit_transactions`, written together in one write after the balance was read in that same
/// write. The store has one writer, so concurrent consumers are serialised there: a debit that
/// would take the balance below zero is refused, never applied, and the balance always equals
/// the sum of the transactions.
///
/// Every balance change also re-evaluates the members' low-balance alerts in the same write:
/// see ``updateLowBalanceAlerts(_:organization:balance:now:)``.
public struct CreditsService: RPCService {
  let environment: ServiceEnvironment

  /// The most credits one `AddCredits` or `ConsumeCredits` moves.
  static let maximumAmount: Int64 = 1_000_000_000
  /// The highest balance an organization may hold.
  static let maximumBalance: Int64 = 1_000_000_000_000
  static let reasonLength = 1...200
  /// How many transactions `GetCredits` includes.
  static let recentCount = 10
  static let listLimits = 1...10_000
  static let defaultListLimit = 100
  /// Transactions read per database round trip while streaming.
  static let listPageSize = 500
  /// The consumption window the monthly estimate is projected from, and the month it projects.
  static let projectionWindow: TimeInterval = 30 * 86_400
  static let addMethod = "Credits.AddCredits"
  static let consumeMethod = "Credits.ConsumeCredits"
  /// Roles that may add credits.
  static let billingRoles: Set<Organizations.Role> = [.owner, .admin, .billingAdmin]

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Credits.getCredits) { _, context in try await getCredits(context) }
    router.serverStreaming(Credits.listTransactions) { request, writer, context in
      try await listTransactions(request, writer, context)
    }
    router.unary(Credits.addCredits) { request, context in try await addCredits(request, context) }
    router.unary(Credits.consumeCredits) { request, context in try await consumeCredits(request, context) }
  }

  /// The caller's current organization and role in it, when it is credit-based.
  ///
  /// - Throws: `NOT_FOUND` when the caller is no longer a member; `FAILED_PRECONDITION`
  ///   (`NOT_CREDIT_BASED`) when the organization is not on credit-based pricing.
  static func creditOrganization(
    _ db: Database, organizationID: String, userID: String
  ) throws -> (organization: OrganizationRecord, role: Organizations.Role) {
    let membership = try OrganizationsService.membership(db, organizationID: organizationID, userID: userID)
    try requireCreditBased(membership.organization)
    return membership
  }

  /// - Throws: `FAILED_PRECONDITION` (`NOT_CREDIT_BASED`) unless the organization is credit-based.
  static func requireCreditBased(_ organization: OrganizationRecord) throws {
    guard organization.creditBased else {
      throw RPCError(
        .failedPrecondition,
        "organization \(organization.id) is not on credit-based pricing, so it has no credits; "
          + "an owner or admin can switch it with UpdateOrganization (creditBased)",
        details: ErrorDetails(preconditionViolations: [
          .init(
            type: "NOT_CREDIT_BASED", subject: organization.id,
            description: "the organization uses a subscription, not credits")
        ]))
    }
  }

  /// Checks an amount and a reason, the fields both balance changes take.
  static func validate(amount: Int64, reason: String, into validator: inout FieldValidator) {
    validator.integer("amount", amount, in: 1...maximumAmount)
    validator.text("reason", reason, length: reasonLength)
  }

  /// The estimated monthly usage: credits consumed in the last 30 days, or since the first
  /// transaction when that is more recent (counted as at least one day), scaled to 30 days and
  /// rounded to the nearest credit. Nothing consumed estimates 0.
  static func estimatedMonthlyUsage(consumed: Int64, firstTransaction: Date?, now: Date) -> Int64 {
    guard let firstTransaction, consumed > 0 else { return 0 }
    let window = min(projectionWindow, max(86_400, now.timeIntervalSince(firstTransaction)))
    return Int64((Double(consumed) * projectionWindow / window).rounded())
  }

  static func message(_ record: CreditTransactionRecord) -> Credits.Transaction {
    Credits.Transaction(
      id: record.id, time: record.time, amount: record.amount, kind: Credits.TransactionKind(rawValue: record.kind) ?? .adjusted,
      reason: record.reason, actor: record.actor)
  }
}
