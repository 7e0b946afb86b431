// Placeholder until the module lands.
enum ProfileServicePlaceholder {}
