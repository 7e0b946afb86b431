/// Message and enum schemas by name: what the reflection service serves and what
/// ``JSONTranscoder`` needs.
///
/// ```swift
/// var schema = SchemaSet()
/// let type = try schema.add(Health.CheckRequest.self)  // .message("Health.CheckRequest")
/// ```
public struct SchemaSet: Codable, Sendable, Hashable {
  public var messages: [String: MessageSchema]
  public var enums: [String: EnumSchema]

  public init(messages: [String: MessageSchema] = [:], enums: [String: EnumSchema] = [:]) {
    self.messages = messages
    self.enums = enums
  }

  /// Records `type` and every message and enum it references, and returns its field type.
  ///
  /// Extraction runs `T.init(from:)` against a recording decoder: `decode(_:forKey:)` records a
  /// required field, `decodeIfPresent(_:forKey:)` an optional one. Scalars, `Date`, `Data` and
  /// `UUID` are leaf types; arrays, dictionaries and ``WireEnum`` types are recognised by type;
  /// anything else is a message, or, if it asks for a single value container, the type it
  /// decodes there. Recursive types terminate when the recursion goes through an optional, an
  /// array or a map. Required fields receive placeholder values (zero, empty, the first enum
  /// case), so an `init(from:)` that validates its input may reject them.
  ///
  /// - Throws: `WireFormatError` (code `unsupported`) for types extraction cannot describe, such
  ///   as a type that contains itself through a required field, an enum without cases, or a
  ///   nested container; nothing is recorded then.
  @discardableResult
  public mutating func add<T: Decodable>(_ type: T.Type) throws(WireFormatError) -> FieldType {
    let builder = SchemaBuilder(schema: self)
    let fieldType: FieldType
    do {
      fieldType = try builder.describe(T.self, needsValue: false, path: []).type
    } catch {
      throw WireFormatError.wrapping(error, path: "")
    }
    self = builder.schema
    return fieldType
  }

  enum CodingKeys: Int, CodingKey {
    case messages = 1, enums
  }

  /// Decodes a schema set, turning field types that name one of its enums into ``FieldType/enumeration(_:)``
  /// (a type string cannot tell enum names from message names).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let messages = try container.decode([String: MessageSchema].self, forKey: .messages)
    let enums = try container.decode([String: EnumSchema].self, forKey: .enums)
    let enumNames = Set(enums.keys)
    self.enums = enums
    self.messages = messages.mapValues { message in
      var message = message
      for index in message.fields.indices {
        message.fields[index].type = message.fields[index].type.resolvingEnums(enumNames)
      }
      return message
    }
  }
}
