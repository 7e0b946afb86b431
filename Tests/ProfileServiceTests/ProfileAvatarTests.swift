import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

@Suite struct ProfileAvatarTests {
  static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("IHDR-and-the-rest".utf8))
  static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array("JFIF-and-the-rest".utf8))
  static let webp = Data(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 and-the-rest".utf8))

  /// `prefix` followed by `count - prefix.count` bytes that use every byte value.
  static func image(_ prefix: Data, count: Int) -> Data {
    prefix + Data((0..<(count - prefix.count)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
  }

  @Test(arguments: [(png, "image/png"), (jpeg, "image/jpeg"), (webp, "image/webp")])
  func anImageIsStoredAndReturnedByteForByte(prefix: Data, contentType: String) async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let image = Self.image(prefix, count: 50_000)
      let info = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: image), options: user.options)
      #expect(info == Profile.AvatarInfo(contentType: contentType, size: 50_000))
      let avatar = try await client.rpc.unary(Profile.getAvatar, Empty(), options: user.options)
      #expect(avatar.image == image)
      #expect(avatar.contentType == contentType)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).hasAvatar)
      #expect(try await server.auditActions(userID: user.id).last == "avatar.set")
    }
  }

  @Test func exactlyOneMebibyteIsAcceptedAndOneByteMoreIsNot() async throws {
    try await ProfileTestServer.with { _, client throws in
      let user = try await TestUser.create(client)
      let largest = Self.image(Self.jpeg, count: 1 << 20)
      let info = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: largest), options: user.options)
      #expect(info.size == 1 << 20)
      let tooLarge = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(
          Profile.setAvatar, Profile.SetAvatarRequest(image: Self.image(Self.png, count: (1 << 20) + 1)), options: user.options)
      }
      #expect(tooLarge?.code == .invalidArgument)
      #expect(tooLarge?.details.fieldViolations?.map(\.field) == ["image"])
      // The accepted one stays.
      #expect(try await client.rpc.unary(Profile.getAvatar, Empty(), options: user.options).image == largest)
    }
  }

  @Test(arguments: [
    Data(),
    Data("GIF89a-an-animated-cat".utf8),
    Data("definitely not an image".utf8),
    Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A]),  // a PNG signature cut short
    Data([0xFF, 0xD8]),
    Data(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8)),
    Data(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEB".utf8)),
    Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8),
  ])
  func otherContentIsRefused(image: Data) async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let error = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: image), options: user.options)
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.details.fieldViolations?.map(\.field) == ["image"])
      let missing = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.getAvatar, Empty(), options: user.options)
      }
      #expect(missing?.code == .notFound)
      #expect(try await server.auditActions(userID: user.id).contains("avatar.set") == false)
    }
  }

  @Test func aNewAvatarReplacesTheOldAndRemoveDeletesIt() async throws {
    try await ProfileTestServer.with { server, client throws in
      let user = try await TestUser.create(client)
      let none = await #expect(throws: RPCError.self) { try await client.rpc.unary(Profile.getAvatar, Empty(), options: user.options) }
      #expect(none?.code == .notFound)

      _ = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: Self.png), options: user.options)
      _ = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: Self.webp), options: user.options)
      let current = try await client.rpc.unary(Profile.getAvatar, Empty(), options: user.options)
      #expect(current == Profile.Avatar(image: Self.webp, contentType: "image/webp"))

      _ = try await client.rpc.unary(Profile.removeAvatar, Empty(), options: user.options)
      let gone = await #expect(throws: RPCError.self) { try await client.rpc.unary(Profile.getAvatar, Empty(), options: user.options) }
      #expect(gone?.code == .notFound)
      #expect(try await client.rpc.unary(Profile.getProfile, Empty(), options: user.options).hasAvatar == false)
      let again = await #expect(throws: RPCError.self) {
        try await client.rpc.unary(Profile.removeAvatar, Empty(), options: user.options)
      }
      #expect(again?.code == .notFound)
      let rows = try await server.services.environment.database.read { db in
        try db.value(Int.self, sql: "SELECT count(*) FROM avatars")
      }
      #expect(rows == 0)
      let actions = try await server.auditActions(userID: user.id).filter { $0.hasPrefix("avatar.") }
      #expect(actions == ["avatar.set", "avatar.set", "avatar.remove"])
    }
  }

  @Test func avatarsAreEachUsersOwn() async throws {
    try await ProfileTestServer.with { _, client throws in
      let alice = try await TestUser.create(client)
      let bob = try await TestUser.create(client)
      _ = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: Self.png), options: alice.options)
      let error = await #expect(throws: RPCError.self) { try await client.rpc.unary(Profile.getAvatar, Empty(), options: bob.options) }
      #expect(error?.code == .notFound)
      _ = try await client.rpc.unary(Profile.setAvatar, Profile.SetAvatarRequest(image: Self.jpeg), options: bob.options)
      #expect(try await client.rpc.unary(Profile.getAvatar, Empty(), options: alice.options).image == Self.png)
    }
  }
}
