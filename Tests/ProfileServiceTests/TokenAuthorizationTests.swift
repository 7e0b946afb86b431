import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import ProfileStore
import RPC
import Testing

/// Every Tokens method called as each kind of caller: members of every role of a team
/// organization (acting in it), a user outside it, and no token. Tokens are personal: anyone
/// signed in manages their own, and nobody, whatever their role, can see or touch another's.
@Suite struct TokenAuthorizationTests {
  typealias Actor = OrganizationAuthorizationTests.Actor

  enum Method: String, CaseIterable, Sendable {
    case createToken, listTokens, regenerateToken, deleteToken

    var mutates: Bool { self != .listTokens }
  }

  /// The expected status of `method` on the team owner's token; nil is OK.
  static func expected(_ method: Method, _ actor: Actor) -> StatusCode? {
    if actor == .anonymous { return .unauthenticated }
    switch method {
    case .createToken, .listTokens: return nil
    case .regenerateToken, .deleteToken: return actor == .owner ? nil : .notFound
    }
  }

  @Test func everyMethodIsInTheMatrix() {
    #expect(Set(Method.allCases.map { $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst() })
      == Set(Tokens.descriptor.methods.map(\.method)))
  }

  @Test(arguments: Method.allCases, Actor.allCases)
  func authorization(method: Method, actor: Actor) async throws {
    try await ProfileTestServer.with { server, client throws in
      // Everyone but the outsider acts in the team.
      let team = try await CreditTeam.create(client, creditBased: false)
      let owner = team.owner
      var users: [Actor: TestUser] = [.owner: owner, .nonMember: try await TestUser.create(client)]
      for (actor, role) in [(Actor.admin, Organizations.Role.admin), (.billingAdmin, .billingAdmin), (.member, .member)] {
        users[actor] = try await team.member(role, client)
      }
      let target = try await client.rpc.unary(
        Tokens.createToken, Tokens.CreateTokenRequest(name: "owner's"), options: owner.options)
      let options = users[actor]?.options ?? CallOptions()
      let auditBefore = try await OrganizationAuthorizationTests.auditCount(server)

      let outcome: StatusCode?
      do {
        switch method {
        case .createToken:
          _ = try await client.rpc.unary(Tokens.createToken, Tokens.CreateTokenRequest(name: "mine"), options: options)
        case .listTokens:
          let listed = try await client.rpc.unary(Tokens.listTokens, Empty(), options: options)
          #expect(listed.tokens.contains { $0.id == target.id } == (actor == .owner), "\(actor) lists only their own")
        case .regenerateToken:
          _ = try await client.rpc.unary(
            Tokens.regenerateToken, Tokens.RegenerateTokenRequest(id: target.id), options: options)
        case .deleteToken:
          _ = try await client.rpc.unary(Tokens.deleteToken, Tokens.DeleteTokenRequest(id: target.id), options: options)
        }
        outcome = nil
      } catch let error as RPCError {
        outcome = error.code
      }
      #expect(outcome == Self.expected(method, actor), "\(method) as \(actor)")
      let written = try await OrganizationAuthorizationTests.auditCount(server) - auditBefore
      #expect(written == (outcome == nil && method.mutates ? 1 : 0), "audit entries of \(method) as \(actor)")
      // The owner's token still works unless the owner regenerated or deleted it.
      let stillValid = (try? await client.rpc.unary(Profile.getProfile, Empty(), options: bearer(target.token))) != nil
      #expect(stillValid == !(actor == .owner && method != .createToken && method != .listTokens))
    }
  }
}
