// Placeholder until the module lands.
enum RPCPlaceholder {}
