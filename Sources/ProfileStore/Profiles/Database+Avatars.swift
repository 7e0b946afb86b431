public import Foundation

/// A user's avatar (row of `avatars`): the image bytes as uploaded and their content type.
public struct AvatarRecord: Sendable, Equatable {
  public var userID: String
  /// `image/png`, `image/jpeg` or `image/webp`.
  public var contentType: String
  public var image: Data
  public var updatedAt: Date

  public init(userID: String, contentType: String, image: Data, updatedAt: Date) {
    self.userID = userID
    self.contentType = contentType
    self.image = image
    self.updatedAt = updatedAt
  }
}

extension Database {
  /// Stores `avatar`, replacing the user's previous one.
  public func replaceAvatar(_ avatar: AvatarRecord) throws {
    try execute(
      sql: "INSERT OR REPLACE INTO avatars (user_id, content_type, image, updated_at) VALUES (?, ?, ?, ?)",
      avatar.userID, avatar.contentType, avatar.image, avatar.updatedAt)
  }

  public func avatar(userID: String) throws -> AvatarRecord? {
    try row(sql: "SELECT user_id, content_type, image, updated_at FROM avatars WHERE user_id = ?", userID).map { row in
      AvatarRecord(userID: try row.get(0), contentType: try row.get(1), image: try row.get(2), updatedAt: try row.get(3))
    }
  }

  /// Whether the user has an avatar, without reading the image.
  public func hasAvatar(userID: String) throws -> Bool {
    try value(Int.self, sql: "SELECT count(*) FROM avatars WHERE user_id = ?", userID) == 1
  }

  /// Deletes the user's avatar; returns false when there was none.
  @discardableResult
  public func deleteAvatar(userID: String) throws -> Bool {
    try execute(sql: "DELETE FROM avatars WHERE user_id = ?", userID)
    return changes == 1
  }
}
