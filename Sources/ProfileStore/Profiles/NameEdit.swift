/// A change of the name columns of a profile (``Database/editNames(ofUser:_:expectedVersion:)``):
/// nil keeps a column as it is; for `contactPerson` and `company` the empty string clears it.
public struct NameEdit: Sendable, Equatable {
  public var firstName: String?
  public var lastName: String?
  public var displayName: String?
  public var contactPerson: String?
  public var company: String?

  public init(
    firstName: String? = nil, lastName: String? = nil, displayName: String? = nil, contactPerson: String? = nil,
    company: String? = nil
  ) {
    self.firstName = firstName
    self.lastName = lastName
    self.displayName = displayName
    self.contactPerson = contactPerson
    self.company = company
  }
}

/// What ``Database/editNames(ofUser:_:expectedVersion:)`` did.
public enum NameEditResult: Sendable, Equatable {
  /// The edit changed the profile: the record as written, at its new version.
  case updated(UserRecord, hasAvatar: Bool)
  /// The edit would change no value, so nothing was written: the record as stored.
  case unchanged(UserRecord, hasAvatar: Bool)
  /// An expected version was given, and the profile is at `current` instead; nothing was written.
  case stale(current: Int64)
  /// No user has this id.
  case missing
}
