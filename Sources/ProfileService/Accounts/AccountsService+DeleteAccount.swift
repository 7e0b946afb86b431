import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension AccountsService {
  /// Deletes the caller's account: profile, sessions, settings, codes, connections,
  /// memberships and exports (with their files) go; audit entries stay. Refused while the user
  /// is the only owner of an organization that has other members.
  func deleteAccount(_ request: Accounts.DeleteAccountRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context, admission: .sessionsOnly)
    guard let user = try await environment.database.read({ db in try db.user(id: caller.userID) }) else {
      throw Authenticator.unknownToken
    }
    let mutation = caller.mutation()
    if user.passwordHash != nil {
      var validator = FieldValidator()
      environment.checkCurrentPassword(&validator, request.currentPassword)
      try validator.check()
      try await environment.verifyCurrentPassword(request.currentPassword, of: user, mutation: mutation)
    }
    let exportIDs = try await environment.database.write { db -> [String] in
      let blocking = try db.organizationsSolelyOwnedWithOtherMembers(userID: user.id)
      guard blocking.isEmpty else {
        throw RPCError(
          .failedPrecondition,
          "you are the only owner of \(blocking.count) organization(s) with other members; make someone else an owner or remove the members first",
          details: ErrorDetails(
            preconditionViolations: blocking.map {
              .init(type: "SOLE_OWNER", subject: $0, description: "the organization would have no owner")
            }))
      }
      let exportIDs = try db.exportIDs(userID: user.id)
      try db.deleteOrganizationsOnlyMemberOf(userID: user.id)
      try db.deleteUser(id: user.id)
      try db.audit("account.delete", subject: user.id, target: user.id, context: mutation)
      return exportIDs
    }
    environment.sessions.evict(userID: user.id)
    // The rows went with the user; an export still being built deletes its own file when it
    // finds its row gone (ExportRunner).
    let files = ExportFiles(dataDirectory: environment.configuration.dataDirectory)
    for id in exportIDs { files.remove(id) }
    return Empty()
  }
}
