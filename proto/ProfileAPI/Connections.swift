public import Foundation
public import RPC

/// The user's connections to applications.
public enum Connections {
  public static let listConnections = MethodDescriptor<Empty, ListConnectionsResponse>(
    service: "Connections", method: "ListConnections", kind: .unary)
  public static let addConnection = MethodDescriptor<AddConnectionRequest, Connection>(
    service: "Connections", method: "AddConnection", kind: .unary)
  public static let removeConnection = MethodDescriptor<RemoveConnectionRequest, Empty>(
    service: "Connections", method: "RemoveConnection", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Connections", methods: [listConnections.info, addConnection.info, removeConnection.info])

  public struct Connection: Codable, Sendable, Equatable {
    public var id: String
    /// The application, such as `salesforce`.
    public var application: String
    public var displayName: String
    /// How it connects, such as `oauth2` or `apiKey`.
    public var kind: String
    /// Whether a credential is stored; it is never returned.
    public var hasCredential: Bool
    public var createdAt: Date
    public init(id: String, application: String, displayName: String, kind: String, hasCredential: Bool, createdAt: Date) {
      self.id = id
      self.application = application
      self.displayName = displayName
      self.kind = kind
      self.hasCredential = hasCredential
      self.createdAt = createdAt
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, application = 2, displayName = 3, kind = 4, hasCredential = 5, createdAt = 6
    }
  }

  public struct ListConnectionsResponse: Codable, Sendable, Equatable {
    public var connections: [Connection]
    public init(connections: [Connection]) { self.connections = connections }
    enum CodingKeys: Int, CodingKey { case connections = 1 }
  }

  public struct AddConnectionRequest: Codable, Sendable, Equatable {
    public var application: String
    public var displayName: String
    public var kind: String
    /// Write-only: stored encrypted, never returned.
    public var credential: String?
    public init(application: String, displayName: String, kind: String, credential: String? = nil) {
      self.application = application
      self.displayName = displayName
      self.kind = kind
      self.credential = credential
    }
    enum CodingKeys: Int, CodingKey { case application = 1, displayName = 2, kind = 3, credential = 4 }
  }

  public struct RemoveConnectionRequest: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: Int, CodingKey { case id = 1 }
  }
}
