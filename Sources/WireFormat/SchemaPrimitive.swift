/// A leaf type of schemas: what it is called there and a placeholder value that schema
/// extraction returns for required fields.
protocol SchemaPrimitive {
  static var schemaType: FieldType { get }
  static var placeholder: Self { get }
}
