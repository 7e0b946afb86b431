import Foundation
import ProfileService
import ProfileStore

/// Reads queued outbox messages straight from the SQLite file, for flows whose code a test
/// needs (a delivery service would pull them through `Outbox.Pull`).
struct QueuedMessage: Sendable {
  let channel: Int
  let recipient: String
  let template: String
  let parameters: [String: String]
}

extension ProfileTestServer {
  func outbox(recipient: String? = nil) async throws -> [QueuedMessage] {
    try await services.environment.database.read { db in
      try db.rows(sql: "SELECT channel, recipient, template, parameters FROM outbox ORDER BY id").map { row in
        let json: String = try row.get(3)
        let parameters = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]) ?? [:]
        return QueuedMessage(
          channel: try row.get(0), recipient: try row.get(1), template: try row.get(2), parameters: parameters)
      }
    }.filter { recipient == nil || $0.recipient == recipient }
  }

  /// Gives the user a verified phone directly in the database.
  func setVerifiedPhone(_ phone: String, userID: String) async throws {
    try await services.environment.database.write { db in
      try db.execute(sql: "UPDATE users SET phone = ?, phone_verified = 1 WHERE id = ?", phone, userID)
    }
  }

  func auditActions(userID: String) async throws -> [String] {
    try await services.environment.database.read { db in
      try db.rows(sql: "SELECT action FROM audit_trail WHERE subject_user_id = ? ORDER BY id", userID)
        .map { try $0.get(0) as String }
    }
  }
}
