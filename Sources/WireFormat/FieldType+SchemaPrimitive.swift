/// A ``FieldType`` travels as its type string, so schemas that contain schemas (reflection's
/// answers) describe it as `string`, without running its validating decoder.
extension FieldType: SchemaPrimitive {
  static var schemaType: FieldType { .string }
  static var placeholder: FieldType { .string }
}
