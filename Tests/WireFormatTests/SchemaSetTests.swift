internal import Foundation
internal import Testing
internal import WireFormat

enum Health {
  struct CheckRequest: Codable, Hashable {
    var service: String
    var deadline: Date?
    enum CodingKeys: Int, CodingKey { case service = 1, deadline }
  }
}

/// A type with its own single-value encoding: described as the type it wraps.
struct UserID: Codable, Hashable {
  var raw: String

  init(_ raw: String) { self.raw = raw }

  init(from decoder: any Decoder) throws {
    raw = try decoder.singleValueContainer().decode(String.self)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(raw)
  }
}

struct Account: Codable, Hashable {
  var owner: UserID
  var members: Set<String>
  var backup: UserID?
  enum CodingKeys: Int, CodingKey { case owner = 1, members, backup }
}

@Suite("SchemaSet")
struct SchemaSetTests {
  @Test("the rich sample message, exactly")
  func profile() throws {
    var schema = SchemaSet()
    #expect(try schema.add(Profile.self) == .message("Profile"))
    let expected = MessageSchema(name: "Profile", fields: [
      FieldSchema(name: "id", number: 1, type: .uuid, optional: false),
      FieldSchema(name: "name", number: 2, type: .string, optional: false),
      FieldSchema(name: "age", number: 3, type: .int64, optional: true),
      FieldSchema(name: "phones", number: 4, type: .array(.message("Phone")), optional: false),
      FieldSchema(name: "status", number: 5, type: .enumeration("Status"), optional: false),
      FieldSchema(name: "plan", number: 6, type: .enumeration("Plan"), optional: false),
      FieldSchema(name: "created", number: 7, type: .timestamp, optional: false),
      FieldSchema(name: "avatar", number: 8, type: .bytes, optional: true),
      FieldSchema(name: "scores", number: 9, type: .map(key: .string, value: .int64), optional: false),
      FieldSchema(name: "labels", number: 10, type: .map(key: .int64, value: .string), optional: false),
      FieldSchema(name: "matrix", number: 11, type: .array(.array(.int64)), optional: false),
      FieldSchema(name: "location", number: 12, type: .message("Point"), optional: true),
      FieldSchema(name: "ratio", number: 13, type: .double, optional: false),
      FieldSchema(name: "friends", number: 14, type: .map(key: .string, value: .message("Phone")), optional: false),
      FieldSchema(name: "history", number: 15, type: .array(.enumeration("Status")), optional: false),
    ])
    #expect(schema.messages["Profile"] == expected)
    #expect(schema.messages["Phone"] == MessageSchema(name: "Phone", fields: [
      FieldSchema(name: "kind", number: 1, type: .string, optional: false),
      FieldSchema(name: "number", number: 2, type: .string, optional: false),
    ]))
    #expect(schema.messages["Point"] == MessageSchema(name: "Point", fields: [
      FieldSchema(name: "x", number: 1, type: .int64, optional: false),
      FieldSchema(name: "y", number: 2, type: .int64, optional: false),
    ]))
    #expect(Set(schema.messages.keys) == ["Profile", "Phone", "Point"])
    #expect(schema.enums["Status"] == EnumSchema(name: "Status", rawType: .int64, cases: [
      EnumCase(name: "active", rawValue: "1"), EnumCase(name: "suspended", rawValue: "2"),
      EnumCase(name: "deleted", rawValue: "-3"),
    ]))
    #expect(schema.enums["Plan"] == EnumSchema(name: "Plan", rawType: .string, cases: [
      EnumCase(name: "free", rawValue: "free"), EnumCase(name: "pro", rawValue: "pro"),
      EnumCase(name: "enterprise", rawValue: "ent"),
    ]))
  }

  @Test("every scalar type")
  func scalars() throws {
    var schema = SchemaSet()
    try schema.add(Scalars.self)
    let types = schema.messages["Scalars"]?.fields.map(\.type)
    #expect(types == [
      .bool, .int64, .int8, .int16, .int32, .int64, .uint64, .uint8, .uint16, .uint32, .uint64,
      .float, .double, .string, .bytes, .timestamp, .uuid,
    ])
  }

  @Test("named fields have no number")
  func named() throws {
    var schema = SchemaSet()
    try schema.add(Named.self)
    #expect(schema.messages["Named"]?.fields == [
      FieldSchema(name: "title", number: nil, type: .string, optional: false),
      FieldSchema(name: "count", number: nil, type: .int64, optional: false),
    ])
  }

  @Test("recursive types through optionals and arrays terminate")
  func recursive() throws {
    var schema = SchemaSet()
    try schema.add(Node.self)
    #expect(schema.messages["Node"]?.fields == [
      FieldSchema(name: "value", number: 1, type: .int64, optional: false),
      FieldSchema(name: "child", number: 2, type: .message("Node"), optional: true),
      FieldSchema(name: "children", number: 3, type: .array(.message("Node")), optional: false),
    ])
  }

  @Test("nested type names keep their enclosing types but not the module")
  func nestedNames() throws {
    var schema = SchemaSet()
    #expect(try schema.add(Health.CheckRequest.self) == .message("Health.CheckRequest"))
    #expect(schema.messages["Health.CheckRequest"]?.fields.map(\.type) == [.string, .timestamp])
  }

  @Test("single-value wrappers are their wrapped type; other collections are arrays")
  func wrappers() throws {
    var schema = SchemaSet()
    try schema.add(Account.self)
    #expect(schema.messages["Account"]?.fields == [
      FieldSchema(name: "owner", number: 1, type: .string, optional: false),
      FieldSchema(name: "members", number: 2, type: .array(.string), optional: false),
      FieldSchema(name: "backup", number: 3, type: .string, optional: true),
    ])
    #expect(schema.messages["UserID"] == nil)
  }

  @Test("top-level non-message types")
  func topLevel() throws {
    var schema = SchemaSet()
    #expect(try schema.add(Int.self) == .int64)
    #expect(try schema.add([String: [Point]].self) == .map(key: .string, value: .array(.message("Point"))))
    #expect(try schema.add(Status?.self) == .enumeration("Status"))
    #expect(Set(schema.messages.keys) == ["Point"])
    #expect(Set(schema.enums.keys) == ["Status"])
  }

  @Test("a type that contains itself through a required field is an error, and nothing is recorded")
  func requiredRecursion() throws {
    final class Loop: Codable {
      let next: Loop
      enum CodingKeys: Int, CodingKey { case next = 1 }
    }
    var schema = SchemaSet()
    let error = try #require(throws: WireFormatError.self) { try schema.add(Loop.self) }
    #expect(error.code == .unsupported)
    #expect(error.codingPath == "next")
    #expect(schema == SchemaSet())
  }

  @Test("an enum with a raw type other than String or an integer is an error")
  func badEnums() throws {
    enum Ratio: Double, WireEnum { case half = 0.5 }
    struct UsesRatio: Codable {
      var ratio: Ratio
      enum CodingKeys: Int, CodingKey { case ratio = 1 }
    }
    var schema = SchemaSet()
    let error = try #require(throws: WireFormatError.self) { try schema.add(UsesRatio.self) }
    #expect(error.code == .unsupported)
    #expect(error.description.contains("raw values"))
  }

  @Test("schemas go over the wire: binary and JSON round trips resolve enum names")
  func codable() throws {
    var schema = SchemaSet()
    try schema.add(Profile.self)
    try schema.add(Named.self)
    #expect(try roundTrip(schema) == schema)
    let json = try JSONEncoder().encode(schema)
    #expect(try JSONDecoder().decode(SchemaSet.self, from: json) == schema)
  }
}
