public import RPC

/// The whole contract: every service profiled serves, in the order the schema lists them.
public enum ProfileAPI {
  public static let services: [ServiceDescriptor] = [
    Health.descriptor,
    Reflection.descriptor,
    Accounts.descriptor,
    Preferences.descriptor,
    Notifications.descriptor,
    Archival.descriptor,
    Connections.descriptor,
    Audit.descriptor,
    Outbox.descriptor,
    Diagnostics.descriptor,
    Profile.descriptor,
    Organizations.descriptor,
    Tokens.descriptor,
    MFA.descriptor,
    Credits.descriptor,
    Exports.descriptor,
  ]
}
