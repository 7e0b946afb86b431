public import Foundation
public import RPC
public import WireFormat

/// The organizations the signed-in user belongs to, the current one of their session, and
/// their members.
///
/// Every account has a personal organization; a user may own (have created) at most
/// ``ListMyOrganizationsResponse/ownedLimit`` other ones and be a member of any number.
public enum Organizations {
  public static let listMyOrganizations = MethodDescriptor<Empty, ListMyOrganizationsResponse>(
    service: "Organizations", method: "ListMyOrganizations", kind: .unary)
  public static let switchOrganization = MethodDescriptor<SwitchOrganizationRequest, Organization>(
    service: "Organizations", method: "SwitchOrganization", kind: .unary)
  public static let createOrganization = MethodDescriptor<CreateOrganizationRequest, Organization>(
    service: "Organizations", method: "CreateOrganization", kind: .unary)
  public static let updateOrganization = MethodDescriptor<UpdateOrganizationRequest, Organization>(
    service: "Organizations", method: "UpdateOrganization", kind: .unary)
  public static let listMembers = MethodDescriptor<ListMembersRequest, ListMembersResponse>(
    service: "Organizations", method: "ListMembers", kind: .unary)
  public static let addMember = MethodDescriptor<AddMemberRequest, Member>(
    service: "Organizations", method: "AddMember", kind: .unary)
  public static let removeMember = MethodDescriptor<RemoveMemberRequest, Empty>(
    service: "Organizations", method: "RemoveMember", kind: .unary)
  public static let setMemberRole = MethodDescriptor<SetMemberRoleRequest, Member>(
    service: "Organizations", method: "SetMemberRole", kind: .unary)
  public static let leaveOrganization = MethodDescriptor<LeaveOrganizationRequest, Empty>(
    service: "Organizations", method: "LeaveOrganization", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Organizations",
    methods: [
      listMyOrganizations.info, switchOrganization.info, createOrganization.info, updateOrganization.info,
      listMembers.info, addMember.info, removeMember.info, setMemberRole.info, leaveOrganization.info,
    ])

  /// A member's role. `VerifyToken` and `GetProfile` report it by ``name``.
  public enum Role: Int, WireEnum {
    /// Everything, including roles and adding owners.
    case owner = 1
    /// Settings and members, except owners.
    case admin = 2
    /// Billing.
    case billingAdmin = 3
    case member = 4

    /// The name stored and reported elsewhere: `owner`, `admin`, `billingAdmin`, `member`.
    public var name: String {
      switch self {
      case .owner: "owner"
      case .admin: "admin"
      case .billingAdmin: "billingAdmin"
      case .member: "member"
      }
    }

    public init?(name: String) {
      guard let role = Self.allCases.first(where: { $0.name == name }) else { return nil }
      self = role
    }
  }

  public struct Organization: Codable, Sendable, Equatable {
    /// `org_...`.
    public var id: String
    public var name: String
    /// The account's own organization, made at sign-up; it cannot be changed or left.
    public var personal: Bool
    /// The caller's role in it.
    public var role: Role
    /// Whether the calling session acts in it.
    public var current: Bool
    public var enforceMFA: Bool
    public var apiTokensEnabled: Bool
    /// Credit-based pricing instead of a subscription.
    public var creditBased: Bool
    public var createdAt: Date
    public init(
      id: String, name: String, personal: Bool, role: Role, current: Bool, enforceMFA: Bool,
      apiTokensEnabled: Bool, creditBased: Bool, createdAt: Date
    ) {
      self.id = id
      self.name = name
      self.personal = personal
      self.role = role
      self.current = current
      self.enforceMFA = enforceMFA
      self.apiTokensEnabled = apiTokensEnabled
      self.creditBased = creditBased
      self.createdAt = createdAt
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, name = 2, personal = 3, role = 4, current = 5, enforceMFA = 6, apiTokensEnabled = 7
      case creditBased = 8, createdAt = 9
    }
  }

  public struct ListMyOrganizationsResponse: Codable, Sendable, Equatable {
    /// The personal organization first, then the others in the order the caller joined them.
    public var organizations: [Organization]
    /// Non-personal organizations the caller created (the "1" of "1/3").
    public var ownedCount: Int
    /// The most non-personal organizations one user may create (the "3" of "1/3").
    public var ownedLimit: Int
    public init(organizations: [Organization], ownedCount: Int, ownedLimit: Int) {
      self.organizations = organizations
      self.ownedCount = ownedCount
      self.ownedLimit = ownedLimit
    }
    enum CodingKeys: Int, CodingKey { case organizations = 1, ownedCount = 2, ownedLimit = 3 }
  }

  public struct SwitchOrganizationRequest: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: Int, CodingKey { case id = 1 }
  }

  public struct CreateOrganizationRequest: Codable, Sendable, Equatable {
    /// 1 to 100 characters.
    public var name: String
    public init(name: String) { self.name = name }
    enum CodingKeys: Int, CodingKey { case name = 1 }
  }

  /// Changes only the fields that are set.
  public struct UpdateOrganizationRequest: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var enforceMFA: Bool?
    public var apiTokensEnabled: Bool?
    public var creditBased: Bool?
    public init(
      id: String, name: String? = nil, enforceMFA: Bool? = nil, apiTokensEnabled: Bool? = nil,
      creditBased: Bool? = nil
    ) {
      self.id = id
      self.name = name
      self.enforceMFA = enforceMFA
      self.apiTokensEnabled = apiTokensEnabled
      self.creditBased = creditBased
    }
    enum CodingKeys: Int, CodingKey {
      case id = 1, name = 2, enforceMFA = 3, apiTokensEnabled = 4, creditBased = 5
    }
  }

  public struct Member: Codable, Sendable, Equatable {
    public var userId: String
    public var email: String
    public var displayName: String
    public var role: Role
    public var joinedAt: Date
    public init(userId: String, email: String, displayName: String, role: Role, joinedAt: Date) {
      self.userId = userId
      self.email = email
      self.displayName = displayName
      self.role = role
      self.joinedAt = joinedAt
    }
    enum CodingKeys: Int, CodingKey { case userId = 1, email = 2, displayName = 3, role = 4, joinedAt = 5 }
  }

  public struct ListMembersRequest: Codable, Sendable, Equatable {
    public var organizationId: String
    public init(organizationId: String) { self.organizationId = organizationId }
    enum CodingKeys: Int, CodingKey { case organizationId = 1 }
  }

  public struct ListMembersResponse: Codable, Sendable, Equatable {
    /// In the order they joined.
    public var members: [Member]
    public init(members: [Member]) { self.members = members }
    enum CodingKeys: Int, CodingKey { case members = 1 }
  }

  public struct AddMemberRequest: Codable, Sendable, Equatable {
    public var organizationId: String
    /// The email of an existing account.
    public var email: String
    public var role: Role
    public init(organizationId: String, email: String, role: Role) {
      self.organizationId = organizationId
      self.email = email
      self.role = role
    }
    enum CodingKeys: Int, CodingKey { case organizationId = 1, email = 2, role = 3 }
  }

  public struct RemoveMemberRequest: Codable, Sendable, Equatable {
    public var organizationId: String
    public var userId: String
    public init(organizationId: String, userId: String) {
      self.organizationId = organizationId
      self.userId = userId
    }
    enum CodingKeys: Int, CodingKey { case organizationId = 1, userId = 2 }
  }

  public struct SetMemberRoleRequest: Codable, Sendable, Equatable {
    public var organizationId: String
    public var userId: String
    public var role: Role
    public init(organizationId: String, userId: String, role: Role) {
      self.organizationId = organizationId
      self.userId = userId
      self.role = role
    }
    enum CodingKeys: Int, CodingKey { case organizationId = 1, userId = 2, role = 3 }
  }

  public struct LeaveOrganizationRequest: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
    enum CodingKeys: Int, CodingKey { case id = 1 }
  }
}
