import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// Creates a password account with its personal organization and default settings.
  func signUp(_ request: Accounts.SignUpRequest, _ context: ServerContext) async throws -> Accounts.SignUpResponse {
    var validator = FieldValidator()
    validator.email("email", request.email)
    if let problem = environment.configuration.passwordPolicy.problem(with: request.password) {
      validator.fail("password", problem)
    }
    validator.text("firstName", request.firstName, length: 1...100)
    validator.text("lastName", request.lastName, length: 1...100)
    validator.optionalText("company", request.company, length: 0...200)
    try validator.check()

    let passwordHash = try await environment.hashPassword(request.password)
    let now = environment.now()
    let user = UserRecord(
      id: try Identifiers.make("usr"), email: request.email, emailKey: request.email.lowercased(),
      passwordHash: passwordHash, authenticationMethod: Profile.AuthenticationMethod.password.rawValue,
      externalSubject: nil, firstName: request.firstName, lastName: request.lastName,
      displayName: "\(request.firstName) \(request.lastName)", contactPerson: nil,
      company: request.company.flatMap { $0.isEmpty ? nil : $0 }, phone: nil, phoneVerified: false,
      subscriptionPlan: Profile.SubscriptionPlan.free.rawValue, planSince: now, createdAt: now, version: 1)
    let mutation = MutationContext(actor: user.id, requestID: context.requestID, peerUID: context.peer.uid, now: now)
    try await createAccount(user, mutation: mutation)
    return Accounts.SignUpResponse(userId: user.id)
  }

  /// Inserts the user, their personal organization and default settings, with the audit entry,
  /// in one transaction.
  ///
  /// - Throws: `ALREADY_EXISTS` when the email is registered.
  func createAccount(_ user: UserRecord, mutation: MutationContext) async throws {
    let organizationID = try Identifiers.make("org")
    do {
      try await environment.database.write { db in
        try db.insertUser(user)
        try db.insertOrganization(
          id: organizationID, name: "\(user.firstName)'s organization", personal: true, ownerID: user.id,
          now: mutation.now)
        try db.insertDefaultSettings(userID: user.id)
        try db.audit("account.create", subject: user.id, target: user.id, context: mutation)
      }
    } catch DatabaseError.constraintUnique {
      throw RPCError(
        .alreadyExists, "an account with this email already exists",
        details: ErrorDetails(fieldViolations: [.init(field: "email", description: "is already registered")]))
    }
  }
}
