enum ProfileAPIPlaceholder {}
