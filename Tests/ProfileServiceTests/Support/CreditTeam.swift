import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC

/// A team organization for the credits, exports and token-authorization tests: its owner
/// (acting in it) and the helpers that add members and move credits through the real client.
struct CreditTeam: Sendable {
  let owner: TestUser
  let organizationID: String

  /// Signs an owner up, creates a team organization (credit-based unless told otherwise) and
  /// makes it the owner's current one.
  static func create(_ client: ProfileClient, creditBased: Bool = true) async throws -> CreditTeam {
    let owner = try await TestUser.create(client, firstName: "Olive")
    let organization = try await client.rpc.unary(
      Organizations.createOrganization, Organizations.CreateOrganizationRequest(name: "Team"), options: owner.options)
    if creditBased {
      _ = try await client.rpc.unary(
        Organizations.updateOrganization,
        Organizations.UpdateOrganizationRequest(id: organization.id, creditBased: true), options: owner.options)
    }
    let team = CreditTeam(owner: owner, organizationID: organization.id)
    try await team.enter(owner, client)
    return team
  }

  /// Signs a new user up, adds them with `role` and makes the team their current organization.
  func member(_ role: Organizations.Role, _ client: ProfileClient) async throws -> TestUser {
    let user = try await TestUser.create(client)
    _ = try await client.rpc.unary(
      Organizations.addMember,
      Organizations.AddMemberRequest(organizationId: organizationID, email: user.email, role: role),
      options: owner.options)
    try await enter(user, client)
    return user
  }

  /// Makes the team the user's current organization.
  func enter(_ user: TestUser, _ client: ProfileClient) async throws {
    _ = try await client.rpc.unary(
      Organizations.switchOrganization, Organizations.SwitchOrganizationRequest(id: organizationID),
      options: user.options)
  }

  /// Signs the user in again (after the test clock passed their session's lifetime) and
  /// enters the team.
  func signInAgain(_ user: TestUser, _ client: ProfileClient) async throws -> TestUser {
    let signIn = try await client.rpc.unary(
      Accounts.signIn, Accounts.SignInRequest(email: user.email, password: user.password))
    guard let token = signIn.token else { throw RPCError(.internal, "sign-in returned no token") }
    let again = TestUser(id: user.id, email: user.email, password: user.password, token: token)
    try await enter(again, client)
    return again
  }

  @discardableResult
  func add(_ amount: Int64, reason: String = "purchase", as user: TestUser? = nil, _ client: ProfileClient) async throws
    -> Credits.BalanceChange
  {
    try await client.rpc.unary(
      Credits.addCredits, Credits.AddCreditsRequest(amount: amount, reason: reason), options: (user ?? owner).options)
  }

  @discardableResult
  func consume(
    _ amount: Int64, reason: String = "api-calls", idempotencyKey: String? = nil, _ client: ProfileClient
  ) async throws -> Credits.BalanceChange {
    try await client.rpc.unary(
      Credits.consumeCredits,
      Credits.ConsumeCreditsRequest(organizationId: organizationID, amount: amount, reason: reason),
      options: CallOptions(metadata: idempotencyKey.map { ["idempotency-key": $0] } ?? [:]))
  }

  func summary(_ client: ProfileClient, as user: TestUser? = nil) async throws -> Credits.CreditSummary {
    try await client.rpc.unary(Credits.getCredits, Empty(), options: (user ?? owner).options)
  }

  /// The balance row and the sum of the transactions, read straight from the database.
  func stored(_ server: ProfileTestServer) async throws -> (balance: Int64, sum: Int64, count: Int) {
    let organizationID = organizationID
    return try await server.services.environment.database.read { db in
      (
        try db.creditBalance(organizationID: organizationID),
        try db.creditTransactionSum(organizationID: organizationID),
        try db.value(Int.self, sql: "SELECT count(*) FROM credit_transactions WHERE organization_id = ?", organizationID)
          ?? 0
      )
    }
  }
}
