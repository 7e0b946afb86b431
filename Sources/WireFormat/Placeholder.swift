// Placeholder until the module lands.
enum WireFormatPlaceholder {}
