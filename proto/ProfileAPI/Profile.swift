public import Foundation
public import RPC
public import WireFormat

/// The signed-in user's own profile: names, contact details, password, avatar, plan.
public enum Profile {
  public static let getProfile = MethodDescriptor<Empty, UserProfile>(
    service: "Profile", method: "GetProfile", kind: .unary)
  public static let updateProfile = MethodDescriptor<UpdateProfileRequest, UserProfile>(
    service: "Profile", method: "UpdateProfile", kind: .unary)
  public static let changePassword = MethodDescriptor<ChangePasswordRequest, Empty>(
    service: "Profile", method: "ChangePassword", kind: .unary)
  public static let changeEmail = MethodDescriptor<ChangeEmailRequest, Empty>(
    service: "Profile", method: "ChangeEmail", kind: .unary)
  public static let confirmEmailChange = MethodDescriptor<CodeRequest, UserProfile>(
    service: "Profile", method: "ConfirmEmailChange", kind: .unary)
  public static let setPhone = MethodDescriptor<SetPhoneRequest, Empty>(
    service: "Profile", method: "SetPhone", kind: .unary)
  public static let verifyPhone = MethodDescriptor<CodeRequest, UserProfile>(
    service: "Profile", method: "VerifyPhone", kind: .unary)
  public static let resendPhoneCode = MethodDescriptor<Empty, Empty>(
    service: "Profile", method: "ResendPhoneCode", kind: .unary)
  public static let removePhone = MethodDescriptor<Empty, UserProfile>(
    service: "Profile", method: "RemovePhone", kind: .unary)
  public static let setAvatar = MethodDescriptor<SetAvatarRequest, AvatarInfo>(
    service: "Profile", method: "SetAvatar", kind: .unary)
  public static let getAvatar = MethodDescriptor<Empty, Avatar>(
    service: "Profile", method: "GetAvatar", kind: .unary)
  public static let removeAvatar = MethodDescriptor<Empty, Empty>(
    service: "Profile", method: "RemoveAvatar", kind: .unary)
  public static let getSubscription = MethodDescriptor<Empty, Subscription>(
    service: "Profile", method: "GetSubscription", kind: .unary)
  public static let changeSubscriptionPlan = MethodDescriptor<ChangePlanRequest, Subscription>(
    service: "Profile", method: "ChangeSubscriptionPlan", kind: .unary)

  public static let descriptor = ServiceDescriptor(
    name: "Profile",
    methods: [
      getProfile.info, updateProfile.info, changePassword.info, changeEmail.info,
      confirmEmailChange.info, setPhone.info, verifyPhone.info, resendPhoneCode.info,
      removePhone.info, setAvatar.info, getAvatar.info, removeAvatar.info, getSubscription.info,
      changeSubscriptionPlan.info,
    ])

  public enum AuthenticationMethod: Int, WireEnum {
    case password = 1
    case microsoft365 = 2
    case azure = 3
    case google = 4
  }

  public enum SubscriptionPlan: Int, WireEnum {
    case free = 1
    case standard = 2
    case professional = 3
    case enterprise = 4
  }

  public struct UserProfile: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var phone: String?
    public var phoneVerified: Bool
    public var firstName: String
    public var lastName: String
    public var displayName: String
    public var contactPerson: String?
    public var company: String?
    public var hasAvatar: Bool
    public var memberSince: Date
    public var subscriptionPlan: SubscriptionPlan
    public var authenticationMethod: AuthenticationMethod
    /// Increases with every change; pass it as `expectedVersion` to update only what you read.
    public var version: Int64
    /// The user's role in the current organization.
    public var role: String?

    public init(
      id: String, email: String, phone: String?, phoneVerified: Bool, firstName: String, lastName: String,
      displayName: String, contactPerson: String?, company: String?, hasAvatar: Bool, memberSince: Date,
      subscriptionPlan: SubscriptionPlan, authenticationMethod: AuthenticationMethod, version: Int64, role: String?
    ) {
      self.id = id
      self.email = email
      self.phone = phone
      self.phoneVerified = phoneVerified
      self.firstName = firstName
      self.lastName = lastName
      self.displayName = displayName
      self.contactPerson = contactPerson
      self.company = company
      self.hasAvatar = hasAvatar
      self.memberSince = memberSince
      self.subscriptionPlan = subscriptionPlan
      self.authenticationMethod = authenticationMethod
      self.version = version
      self.role = role
    }

    enum CodingKeys: Int, CodingKey {
      case id = 1, email = 2, phone = 3, phoneVerified = 4, firstName = 5, lastName = 6, displayName = 7
      case contactPerson = 8, company = 9, hasAvatar = 10, memberSince = 11, subscriptionPlan = 12
      case authenticationMethod = 13, version = 14, role = 15
    }
  }

  /// Changes only the fields that are set. `email` is refused: use `ChangeEmail`.
  public struct UpdateProfileRequest: Codable, Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var displayName: String?
    /// An empty string clears it.
    public var contactPerson: String?
    /// An empty string clears it.
    public var company: String?
    /// When set, the update is refused with `ABORTED` unless the profile is at this version.
    public var expectedVersion: Int64?
    /// Present only so that a caller who sends it gets a clear `INVALID_ARGUMENT`.
    public var email: String?

    public init(
      firstName: String? = nil, lastName: String? = nil, displayName: String? = nil,
      contactPerson: String? = nil, company: String? = nil, expectedVersion: Int64? = nil, email: String? = nil
    ) {
      self.firstName = firstName
      self.lastName = lastName
      self.displayName = displayName
      self.contactPerson = contactPerson
      self.company = company
      self.expectedVersion = expectedVersion
      self.email = email
    }

    enum CodingKeys: Int, CodingKey {
      case firstName = 1, lastName = 2, displayName = 3, contactPerson = 4, company = 5
      case expectedVersion = 6, email = 7
    }
  }

  public struct ChangePasswordRequest: Codable, Sendable, Equatable {
    public var currentPassword: String
    public var newPassword: String
    public var repeatPassword: String
    public init(currentPassword: String, newPassword: String, repeatPassword: String) {
      self.currentPassword = currentPassword
      self.newPassword = newPassword
      self.repeatPassword = repeatPassword
    }
    enum CodingKeys: Int, CodingKey { case currentPassword = 1, newPassword = 2, repeatPassword = 3 }
  }

  public struct ChangeEmailRequest: Codable, Sendable, Equatable {
    public var newEmail: String
    public var currentPassword: String
    public init(newEmail: String, currentPassword: String) {
      self.newEmail = newEmail
      self.currentPassword = currentPassword
    }
    enum CodingKeys: Int, CodingKey { case newEmail = 1, currentPassword = 2 }
  }

  public struct CodeRequest: Codable, Sendable, Equatable {
    public var code: String
    public init(code: String) { self.code = code }
    enum CodingKeys: Int, CodingKey { case code = 1 }
  }

  public struct SetPhoneRequest: Codable, Sendable, Equatable {
    /// E.164: `+` and 8 to 15 digits, country code first.
    public var phone: String
    public var currentPassword: String
    public init(phone: String, currentPassword: String) {
      self.phone = phone
      self.currentPassword = currentPassword
    }
    enum CodingKeys: Int, CodingKey { case phone = 1, currentPassword = 2 }
  }

  public struct SetAvatarRequest: Codable, Sendable, Equatable {
    /// PNG, JPEG or WebP, recognised by content; at most 1 MiB.
    public var image: Data
    public init(image: Data) { self.image = image }
    enum CodingKeys: Int, CodingKey { case image = 1 }
  }

  public struct AvatarInfo: Codable, Sendable, Equatable {
    public var contentType: String
    public var size: Int
    public init(contentType: String, size: Int) {
      self.contentType = contentType
      self.size = size
    }
    enum CodingKeys: Int, CodingKey { case contentType = 1, size = 2 }
  }

  public struct Avatar: Codable, Sendable, Equatable {
    public var image: Data
    public var contentType: String
    public init(image: Data, contentType: String) {
      self.image = image
      self.contentType = contentType
    }
    enum CodingKeys: Int, CodingKey { case image = 1, contentType = 2 }
  }

  public struct Subscription: Codable, Sendable, Equatable {
    public var plan: SubscriptionPlan
    public var since: Date
    public init(plan: SubscriptionPlan, since: Date) {
      self.plan = plan
      self.since = since
    }
    enum CodingKeys: Int, CodingKey { case plan = 1, since = 2 }
  }

  public struct ChangePlanRequest: Codable, Sendable, Equatable {
    public var plan: SubscriptionPlan
    public init(plan: SubscriptionPlan) { self.plan = plan }
    enum CodingKeys: Int, CodingKey { case plan = 1 }
  }
}
