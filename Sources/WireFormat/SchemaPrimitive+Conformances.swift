internal import Foundation

extension Bool: SchemaPrimitive {
  static var schemaType: FieldType { .bool }
  static var placeholder: Bool { false }
}

extension Float: SchemaPrimitive {
  static var schemaType: FieldType { .float }
  static var placeholder: Float { 0 }
}

extension Double: SchemaPrimitive {
  static var schemaType: FieldType { .double }
  static var placeholder: Double { 0 }
}

extension Data: SchemaPrimitive {
  static var schemaType: FieldType { .bytes }
  static var placeholder: Data { Data() }
}

extension Date: SchemaPrimitive {
  static var schemaType: FieldType { .timestamp }
  static var placeholder: Date { Date(timeIntervalSince1970: 0) }
}

extension UUID: SchemaPrimitive {
  static var schemaType: FieldType { .uuid }
  static var placeholder: UUID { UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }
}

// String and the integer types are SchemaPrimitive through WireMapKey.

extension SchemaPrimitive where Self: FixedWidthInteger {
  static var placeholder: Self { 0 }
}

extension String {
  static var placeholder: String { "" }
}
