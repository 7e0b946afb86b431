// Placeholder until the module lands.
enum CryptoPrimitivesPlaceholder {}
