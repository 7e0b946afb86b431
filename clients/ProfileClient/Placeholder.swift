enum ProfileClientPlaceholder {}
