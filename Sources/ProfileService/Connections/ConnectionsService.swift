import CryptoPrimitives
import Foundation
import ProfileAPI
import ProfileStore
public import RPC

/// Serves `Connections`: the caller's connections to applications, each with an optional
/// write-only credential (sealed with AES-256-GCM, never returned).
public struct ConnectionsService: RPCService {
  let environment: ServiceEnvironment

  /// Connections one user may have.
  static let maximumPerUser = 100
  /// The largest credential, in UTF-8 bytes.
  static let maximumCredentialBytes = 8 * 1024

  public init(environment: ServiceEnvironment) {
    self.environment = environment
  }

  public func register(with router: inout RPCRouter) {
    router.unary(Connections.listConnections) { _, context in try await listConnections(context) }
    router.unary(Connections.addConnection) { request, context in try await addConnection(request, context) }
    router.unary(Connections.removeConnection) { request, context in try await removeConnection(request, context) }
  }

  /// The caller's connections, newest first.
  func listConnections(_ context: ServerContext) async throws -> Connections.ListConnectionsResponse {
    let caller = try await environment.authenticator.caller(context)
    let userID = caller.userID
    let connections = try await environment.database.read { db in try db.connections(userID: userID) }
    return Connections.ListConnectionsResponse(connections: connections.map(Self.message))
  }

  /// Adds a connection.
  ///
  /// - Throws: `INVALID_ARGUMENT` for bad fields; `RESOURCE_EXHAUSTED` with a quota violation
  ///   when the caller already has ``maximumPerUser`` connections.
  func addConnection(_ request: Connections.AddConnectionRequest, _ context: ServerContext) async throws -> Connections.Connection {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    if !Self.isName(request.application, length: 1...64, allowingUppercase: false) {
      validator.fail("application", "must be 1 to 64 lowercase letters, digits, '.', '_' or '-'")
    }
    validator.text("displayName", request.displayName, length: 1...100)
    if !Self.isName(request.kind, length: 1...32, allowingUppercase: true) {
      validator.fail("kind", "must be 1 to 32 letters, digits, '.', '_' or '-'")
    }
    if let credential = request.credential, !(1...Self.maximumCredentialBytes).contains(credential.utf8.count) {
      validator.fail("credential", "must have 1 to \(Self.maximumCredentialBytes) bytes")
    }
    try validator.check()

    let userID = caller.userID
    let connection = ConnectionRecord(
      id: try Identifiers.make("con"), userID: userID, application: request.application,
      displayName: request.displayName, kind: request.kind,
      credential: try request.credential.map { credential in
        try AESGCM.seal(
          Array(credential.utf8), key: environment.secretsKey,
          associatedData: Array("connections.credential|\(userID)".utf8))
      },
      createdAt: environment.now())
    let mutation = caller.mutation(now: connection.createdAt)
    try await environment.database.write { db in
      guard try db.connectionCount(userID: userID) < Self.maximumPerUser else {
        throw RPCError(
          .resourceExhausted, "you have \(Self.maximumPerUser) connections, the most allowed; remove one first",
          details: ErrorDetails(quotaViolations: [
            .init(subject: "connections", description: "at most \(Self.maximumPerUser) connections per user")
          ]))
      }
      try db.insertConnection(connection)
      try db.audit("connection.add", subject: userID, target: connection.id, context: mutation)
    }
    return Self.message(connection)
  }

  /// Removes one of the caller's connections (another user's is NOT_FOUND).
  func removeConnection(_ request: Connections.RemoveConnectionRequest, _ context: ServerContext) async throws -> Empty {
    let caller = try await environment.authenticator.caller(context)
    var validator = FieldValidator()
    validator.text("id", request.id, length: 1...64)
    try validator.check()
    let userID = caller.userID
    let mutation = caller.mutation()
    let removed = try await environment.database.write { db -> Bool in
      guard try db.deleteConnection(id: request.id, userID: userID) else { return false }
      try db.audit("connection.remove", subject: userID, target: request.id, context: mutation)
      return true
    }
    guard removed else { throw RPCError(.notFound, "you have no connection '\(request.id)'") }
    return Empty()
  }

  static func message(_ record: ConnectionRecord) -> Connections.Connection {
    Connections.Connection(
      id: record.id, application: record.application, displayName: record.displayName, kind: record.kind,
      hasCredential: record.credential != nil, createdAt: record.createdAt)
  }

  /// `length` ASCII letters (lowercase only unless `allowingUppercase`), digits, `.`, `_` or `-`.
  static func isName(_ name: String, length: ClosedRange<Int>, allowingUppercase: Bool) -> Bool {
    length.contains(name.utf8.count)
      && name.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "a"..."z", "0"..."9", ".", "_", "-": true
        case "A"..."Z": allowingUppercase
        default: false
        }
      }
  }
}
