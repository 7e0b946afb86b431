import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension CreditsService {
  /// Adds credits to the current organization. Owners, admins and billing admins only.
  ///
  /// With `idempotency-key` metadata, a retry within 24 hours returns the first call's
  /// transaction and balance and adds nothing.
  ///
  /// - Throws: `INVALID_ARGUMENT` for bad fields or a bad key; `PERMISSION_DENIED` for other
  ///   roles; `FAILED_PRECONDITION` when the organization is not credit-based
  ///   (`NOT_CREDIT_BASED`), the balance would pass ``maximumBalance`` (`BALANCE_LIMIT`), or the
  ///   key was used with a different request (`IDEMPOTENCY_KEY_REUSED`).
  func addCredits(_ request: Credits.AddCreditsRequest, _ context: ServerContext) async throws -> Credits.BalanceChange {
    let caller = try await environment.authenticator.caller(context)
    let idempotencyKey = IdempotencyKey(context, method: Self.addMethod)
    var validator = FieldValidator()
    Self.validate(amount: request.amount, reason: request.reason, into: &validator)
    idempotencyKey.validate(into: &validator)
    try validator.check()

    let now = environment.now()
    let userID = caller.userID
    let organizationID = caller.organizationID
    let requestHash = idempotencyKey.requestHash("\(organizationID)\u{0}\(request.amount)\u{0}\(request.reason)")
    let mutation = caller.mutation(now: now)
    return try await environment.database.write { db in
      let (organization, role) = try OrganizationsService.membership(db, organizationID: organizationID, userID: userID)
      try OrganizationsService.require(role, in: Self.billingRoles, to: "add credits")
      try Self.requireCreditBased(organization)
      if let earlier = try idempotencyKey.earlier(
        owner: .user(userID), requestHash: requestHash, differences: "another organization, amount or reason", now: now,
        in: db)
      {
        return try Self.replay(earlier, organizationID: organizationID, db: db)
      }
      let change = try Self.apply(
        db, organization: organization, kind: .added, amount: request.amount, reason: request.reason, actor: userID,
        now: now)
      try idempotencyKey.record(
        owner: .user(userID), requestHash: requestHash, resultID: String(change.transaction.id),
        result: Array(String(change.balance).utf8), now: now, in: db)
      try db.audit("credits.add", subject: userID, target: organizationID, context: mutation)
      return change
    }
  }

  /// Takes credits from the organization the request names, for a metering service (the
  /// descriptor is trusted-callers-only). The transaction's actor is `trusted:<uid>`; its audit
  /// entry joins the organization's trail (subject: the organization id).
  ///
  /// With `idempotency-key` metadata, a retry within 24 hours from the same uid returns the first
  /// call's transaction and balance and takes nothing more: a metering service may retry a call
  /// whose answer it lost without charging twice.
  ///
  /// - Throws: `INVALID_ARGUMENT` for bad fields or a bad key; `NOT_FOUND` for an unknown
  ///   organization; `FAILED_PRECONDITION` when it is not credit-based (`NOT_CREDIT_BASED`), the
  ///   balance is smaller than the amount (`INSUFFICIENT_CREDITS`; nothing is taken), or the key
  ///   was used with a different request (`IDEMPOTENCY_KEY_REUSED`).
  func consumeCredits(_ request: Credits.ConsumeCreditsRequest, _ context: ServerContext) async throws -> Credits.BalanceChange {
    let idempotencyKey = IdempotencyKey(context, method: Self.consumeMethod)
    var validator = FieldValidator()
    OrganizationsService.validateID("organizationId", request.organizationId, prefix: "org", into: &validator)
    Self.validate(amount: request.amount, reason: request.reason, into: &validator)
    idempotencyKey.validate(into: &validator)
    try validator.check()

    let now = environment.now()
    let actor = "trusted:\(context.peer.uid)"
    let owner = IdempotencyOwner.trustedCaller(uid: context.peer.uid)
    let requestHash = idempotencyKey.requestHash(
      "\(request.organizationId)\u{0}\(request.amount)\u{0}\(request.reason)")
    let mutation = MutationContext(actor: actor, requestID: context.requestID, peerUID: context.peer.uid, now: now)
    return try await environment.database.write { db in
      if let earlier = try idempotencyKey.earlier(
        owner: owner, requestHash: requestHash, differences: "another organization, amount or reason", now: now, in: db)
      {
        return try Self.replay(earlier, organizationID: request.organizationId, db: db)
      }
      guard let organization = try db.organization(id: request.organizationId) else {
        throw RPCError(.notFound, "no organization \(request.organizationId)")
      }
      try Self.requireCreditBased(organization)
      let change = try Self.apply(
        db, organization: organization, kind: .consumed, amount: -request.amount, reason: request.reason, actor: actor,
        now: now)
      try idempotencyKey.record(
        owner: owner, requestHash: requestHash, resultID: String(change.transaction.id),
        result: Array(String(change.balance).utf8), now: now, in: db)
      try db.audit("credits.consume", subject: organization.id, target: organization.id, context: mutation)
      return change
    }
  }

  /// Reads the balance, refuses a change that would leave it below zero or above
  /// ``maximumBalance``, writes the transaction and the new balance, and updates the members'
  /// low-balance alerts: all inside the caller's write, so nothing interleaves.
  static func apply(
    _ db: Database, organization: OrganizationRecord, kind: Credits.TransactionKind, amount: Int64, reason: String,
    actor: String, now: Date
  ) throws -> Credits.BalanceChange {
    let balance = try db.creditBalance(organizationID: organization.id)
    let next = balance + amount
    guard next >= 0 else {
      throw RPCError(
        .failedPrecondition, "the balance is \(balance) credits, fewer than the \(-amount) asked for; nothing was taken",
        details: ErrorDetails(preconditionViolations: [
          .init(
            type: "INSUFFICIENT_CREDITS", subject: organization.id,
            description: "a balance never goes below zero")
        ]))
    }
    guard next <= maximumBalance else {
      throw RPCError(
        .failedPrecondition, "the balance would pass \(maximumBalance) credits, the most an organization may hold",
        details: ErrorDetails(preconditionViolations: [
          .init(type: "BALANCE_LIMIT", subject: organization.id, description: "at most \(maximumBalance) credits")
        ]))
    }
    let stored = try db.insertCreditTransaction(
      CreditTransactionRecord(
        id: 0, organizationID: organization.id, time: now, kind: kind.rawValue, amount: amount, reason: reason,
        actor: actor),
      balance: next)
    try updateLowBalanceAlerts(db, organization: organization, balance: next, now: now)
    return Credits.BalanceChange(transaction: message(stored), balance: next)
  }

  /// The first result of an `AddCredits` or `ConsumeCredits` made with the same idempotency key.
  private static func replay(
    _ earlier: IdempotencyRecord, organizationID: String, db: Database
  ) throws -> Credits.BalanceChange {
    guard let id = Int64(earlier.resultID), let balance = Int64(String(decoding: earlier.result, as: UTF8.self)),
      let transaction = try db.creditTransaction(id: id, organizationID: organizationID)
    else {
      throw RPCError(.internal, "the transaction this idempotency-key recorded is missing")
    }
    return Credits.BalanceChange(transaction: message(transaction), balance: balance)
  }
}
