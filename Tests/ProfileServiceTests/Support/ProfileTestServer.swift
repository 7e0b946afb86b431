import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileClient
import ProfileService
import RPC

/// A real profiled (every service, a real SQLite file) on a fresh data directory and socket,
/// with cheap password hashing so tests stay fast.
struct ProfileTestServer: Sendable {
  let socketPath: String
  let dataDirectory: String
  let services: ProfileServices

  /// Runs `body` with a started server and a connected client; shuts both down afterwards.
  static func with<R: Sendable>(
    dataDirectory: String? = nil,
    configure: (inout ServiceConfiguration) -> Void = { _ in },
    configureServer: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (ProfileTestServer, ProfileClient) async throws -> R
  ) async throws -> R {
    let directory = dataDirectory ?? makeTemporaryDirectory()
    var configuration = ServiceConfiguration(dataDirectory: directory)
    configuration.passwordHashing = PasswordHasher.Parameters(logN: 10, r: 8, p: 1)
    configure(&configuration)
    let services = try ProfileServices(configuration: configuration)
    let socketPath = "/tmp/pst-\(UUID().uuidString.prefix(12)).sock"
    var serverConfiguration = ServerConfiguration(socketPath: socketPath)
    serverConfiguration.shutdownGracePeriod = .milliseconds(500)
    configureServer(&serverConfiguration)
    let server = ProfileTestServer(socketPath: socketPath, dataDirectory: directory, services: services)
    do {
      let result = try await withRPCServer(configuration: serverConfiguration, services: services.services) { _ in
        try await withProfileClient(socketPath: socketPath) { client in try await body(server, client) }
      }
      await services.close()
      return result
    } catch {
      await services.close()
      throw error
    }
  }

  static func makeTemporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "profiled-test-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

/// A signed-up, signed-in user and the call options that act as them.
struct TestUser: Sendable {
  let id: String
  let email: String
  let password: String
  let token: String

  var options: CallOptions { CallOptions(metadata: ["authorization": "Bearer \(token)"]) }

  /// Signs a new user up and in through the real client.
  static func create(
    _ client: ProfileClient, email: String? = nil, password: String = "secret-1",
    firstName: String = "Ada", lastName: String = "Lovelace", company: String? = nil
  ) async throws -> TestUser {
    let email = email ?? "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
    let signUp = try await client.rpc.unary(
      Accounts.signUp,
      Accounts.SignUpRequest(email: email, password: password, firstName: firstName, lastName: lastName, company: company))
    let signIn = try await client.rpc.unary(Accounts.signIn, Accounts.SignInRequest(email: email, password: password))
    guard let token = signIn.token else { throw RPCError(.internal, "sign-in returned no token") }
    return TestUser(id: signUp.userId, email: email, password: password, token: token)
  }
}
