internal import Foundation
internal import WireFormat

// Types shared by the tests. Field numbers are explicit Int coding keys unless a type tests
// named fields.

struct Point: Codable, Hashable, Sendable {
  var x: Int
  var y: Int

  enum CodingKeys: Int, CodingKey {
    case x = 1, y = 2
  }
}

enum Status: Int, WireEnum {
  case active = 1
  case suspended = 2
  case deleted = -3
}

enum Plan: String, WireEnum {
  case free, pro
  case enterprise = "ent"
}

/// The second worked example in proto/WIRE.md.
struct Example: Codable, Hashable, Sendable {
  var name: String
  var origin: Point
  var tags: [String]
  var ratio: Double?

  enum CodingKeys: Int, CodingKey {
    case name = 1, origin, tags, ratio
  }
}

/// The third worked example: synthesized (string) coding keys, so every field is named.
struct Named: Codable, Hashable, Sendable {
  var title: String
  var count: Int
}

/// The fourth worked example: a map, an enum, a timestamp, a double and a float.
struct Settings: Codable, Hashable, Sendable {
  var limits: [String: Int]
  var status: Status
  var at: Date
  var ratio: Double
  var level: Float

  enum CodingKeys: Int, CodingKey {
    case limits = 1, status, at, ratio, level
  }
}

struct Phone: Codable, Hashable, Sendable {
  var kind: String
  var number: String

  enum CodingKeys: Int, CodingKey {
    case kind = 1, number
  }
}

/// Every scalar type the encoding supports, required.
struct Scalars: Codable, Hashable, Sendable {
  var bool: Bool
  var int: Int
  var int8: Int8
  var int16: Int16
  var int32: Int32
  var int64: Int64
  var uint: UInt
  var uint8: UInt8
  var uint16: UInt16
  var uint32: UInt32
  var uint64: UInt64
  var float: Float
  var double: Double
  var string: String
  var data: Data
  var date: Date
  var uuid: UUID

  enum CodingKeys: Int, CodingKey {
    case bool = 1, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64
    case float, double, string, data, date, uuid
  }

  static let zero = Scalars(
    bool: false, int: 0, int8: 0, int16: 0, int32: 0, int64: 0, uint: 0, uint8: 0, uint16: 0,
    uint32: 0, uint64: 0, float: 0, double: 0, string: "", data: Data(),
    date: Date(timeIntervalSince1970: 0), uuid: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))

  static let minimum = Scalars(
    bool: false, int: .min, int8: .min, int16: .min, int32: .min, int64: .min, uint: 0, uint8: 0,
    uint16: 0, uint32: 0, uint64: 0, float: -.greatestFiniteMagnitude, double: -.infinity,
    string: "", data: Data(), date: Date(timeIntervalSince1970: -62_135_596_800),
    uuid: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)

  static let maximum = Scalars(
    bool: true, int: .max, int8: .max, int16: .max, int32: .max, int64: .max, uint: .max,
    uint8: .max, uint16: .max, uint32: .max, uint64: .max, float: .infinity,
    double: .greatestFiniteMagnitude, string: "héllo, wörld 👋", data: Data([0, 1, 0xFF]),
    date: Date(timeIntervalSince1970: 253_402_300_799.5),
    uuid: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!)
}

/// Optional versions of every kind of field.
struct Optionals: Codable, Hashable, Sendable {
  var int: Int?
  var string: String?
  var point: Point?
  var list: [Int]?
  var map: [String: Int]?
  var status: Status?
  var date: Date?
  var uuid: UUID?
  var data: Data?

  enum CodingKeys: Int, CodingKey {
    case int = 1, string, point, list, map, status, date, uuid, data
  }
}

/// A rich message: nested messages, arrays of messages, arrays of arrays, maps with string and
/// integer keys, enums of both raw types, and named fields mixed with numbered ones.
struct Profile: Codable, Hashable, Sendable {
  var id: UUID
  var name: String
  var age: Int?
  var phones: [Phone]
  var status: Status
  var plan: Plan
  var created: Date
  var avatar: Data?
  var scores: [String: Int]
  var labels: [Int64: String]
  var matrix: [[Int]]
  var location: Point?
  var ratio: Double
  var friends: [String: Phone]
  var history: [Status]

  enum CodingKeys: Int, CodingKey {
    case id = 1, name, age, phones, status, plan, created, avatar, scores, labels, matrix, location
    case ratio, friends, history
  }

  static let sample = Profile(
    id: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!,
    name: "Ada Lovelace",
    age: 36,
    phones: [Phone(kind: "home", number: "+44 20 7946 0000"), Phone(kind: "work", number: "")],
    status: .suspended,
    plan: .enterprise,
    created: Date(timeIntervalSince1970: 1_700_000_000.123_456),
    avatar: Data([0x89, 0x50, 0x4E, 0x47]),
    scores: ["chess": 1200, "go": -5, "": 0],
    labels: [-1: "minus one", 7: "seven", 1 << 40: "big"],
    matrix: [[1, 2, 3], [], [-4]],
    location: Point(x: -122, y: 37),
    ratio: 0.25,
    friends: ["bob": Phone(kind: "mobile", number: "555")],
    history: [.active, .deleted, .suspended])
}

/// A recursive message: nesting through an optional and an array.
final class Node: Codable, Hashable, Sendable {
  let value: Int
  let child: Node?
  let children: [Node]

  init(value: Int, child: Node? = nil, children: [Node] = []) {
    self.value = value
    self.child = child
    self.children = children
  }

  enum CodingKeys: Int, CodingKey {
    case value = 1, child, children
  }

  static func == (lhs: Node, rhs: Node) -> Bool {
    lhs.value == rhs.value && lhs.child == rhs.child && lhs.children == rhs.children
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(value)
    hasher.combine(child)
    hasher.combine(children)
  }

  /// A chain of `depth` nodes through `child`.
  static func chain(depth: Int) -> Node {
    var node = Node(value: depth)
    for value in stride(from: depth - 1, through: 1, by: -1) {
      node = Node(value: value, child: node)
    }
    return node
  }
}

/// Bytes from a hex string such as "08 02 10 03"; spaces are ignored.
func hex(_ text: String) -> [UInt8] {
  let digits = text.filter { !$0.isWhitespace }
  var bytes: [UInt8] = []
  var index = digits.startIndex
  while index < digits.endIndex {
    let next = digits.index(index, offsetBy: 2)
    bytes.append(UInt8(digits[index..<next], radix: 16)!)
    index = next
  }
  return bytes
}

/// A hex string of `bytes`, uppercase, space-separated, for readable failure messages.
func hex(_ bytes: [UInt8]) -> String {
  bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
}

/// Encodes with `BinaryEncoder` and decodes the result as `T` again.
func roundTrip<T: Codable>(_ value: T, as type: T.Type = T.self) throws -> T {
  try BinaryDecoder().decode(T.self, from: BinaryEncoder().encode(value))
}
