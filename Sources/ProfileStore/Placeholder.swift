// Placeholder until the module lands.
enum ProfileStorePlaceholder {}
