import Foundation
import ProfileAPI
import ProfileStore
import RPC

extension ProfileService {
  /// The largest avatar accepted: 1 MiB.
  static let maximumAvatarSize = 1 << 20

  /// Stores the caller's avatar, replacing the previous one. The type comes from the image's
  /// first bytes (PNG, JPEG or WebP), never from the caller; the bytes are kept as sent.
  func setAvatar(_ request: Profile.SetAvatarRequest, _ context: ServerContext) async throws -> Profile.AvatarInfo {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    let contentType = Self.imageContentType(of: request.image)
    if request.image.isEmpty {
      validator.fail("image", "must not be empty")
    } else if request.image.count > Self.maximumAvatarSize {
      validator.fail("image", "must be at most 1 MiB (\(Self.maximumAvatarSize) bytes)")
    } else if contentType == nil {
      validator.fail("image", "must be a PNG, JPEG or WebP image")
    }
    try validator.check()
    guard let contentType else { throw RPCError(.internal, "the image type was not recognised") }

    let avatar = AvatarRecord(userID: caller.userID, contentType: contentType, image: request.image, updatedAt: environment.now())
    let mutation = caller.mutation(now: avatar.updatedAt)
    try await environment.database.write { db in
      guard try db.user(id: avatar.userID) != nil else { throw Authenticator.unknownToken }
      try db.replaceAvatar(avatar)
      try db.audit("avatar.set", subject: avatar.userID, target: avatar.userID, context: mutation)
    }
    return Profile.AvatarInfo(contentType: contentType, size: request.image.count)
  }

  /// The caller's avatar, byte for byte as it was set.
  ///
  /// - Throws: `NOT_FOUND` when there is none.
  func getAvatar(_ context: ServerContext) async throws -> Profile.Avatar {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    guard let avatar = try await environment.database.read({ db in try db.avatar(userID: userID) }) else {
      throw Self.noAvatar
    }
    return Profile.Avatar(image: avatar.image, contentType: avatar.contentType)
  }

  /// Deletes the caller's avatar.
  ///
  /// - Throws: `NOT_FOUND` when there is none.
  func removeAvatar(_ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    let mutation = caller.mutation()
    let userID = caller.userID
    let removed = try await environment.database.write { db -> Bool in
      guard try db.deleteAvatar(userID: userID) else { return false }
      try db.audit("avatar.remove", subject: userID, target: userID, context: mutation)
      return true
    }
    guard removed else { throw Self.noAvatar }
    return Empty()
  }

  /// `image/png`, `image/jpeg` or `image/webp` from the magic bytes, or nil for anything else.
  static func imageContentType(of image: Data) -> String? {
    let bytes = [UInt8](image.prefix(12))
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if bytes.count == 12 && bytes.starts(with: Array("RIFF".utf8)) && bytes[8..<12].elementsEqual("WEBP".utf8) {
      return "image/webp"
    }
    return nil
  }

  static let noAvatar = RPCError(.notFound, "you have no avatar")
}
