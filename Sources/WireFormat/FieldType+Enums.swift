extension FieldType {
  /// This type with every `.message(name)` whose name is in `enumNames` turned into `.enumeration(name)`.
  func resolvingEnums(_ enumNames: Set<String>) -> FieldType {
    switch self {
    case .message(let name) where enumNames.contains(name):
      .enumeration(name)
    case .array(let element):
      .array(element.resolvingEnums(enumNames))
    case .map(let key, let value):
      .map(key: key, value: value.resolvingEnums(enumNames))
    default:
      self
    }
  }
}
