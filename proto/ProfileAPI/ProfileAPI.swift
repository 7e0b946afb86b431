public import RPC

/// The whole contract: every service profiled serves, in the order the schema lists them.
public enum ProfileAPI {
  public static let services: [ServiceDescriptor] = [
    Health.descriptor,
    Reflection.descriptor,
    Accounts.descriptor,
    Diagnostics.descriptor,
    Profile.descriptor,
  ]
}
