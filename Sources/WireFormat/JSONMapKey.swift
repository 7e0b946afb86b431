/// A map key of the JSON transcoder, ordered as `BinaryEncoder` orders dictionary keys:
/// strings by their UTF-8 bytes, integers numerically.
enum JSONMapKey: Comparable {
  case string(String)
  case signed(Int64)
  case unsigned(UInt64)

  static func < (lhs: JSONMapKey, rhs: JSONMapKey) -> Bool {
    switch (lhs, rhs) {
    case (.string(let a), .string(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
    case (.signed(let a), .signed(let b)): a < b
    case (.unsigned(let a), .unsigned(let b)): a < b
    default: false
    }
  }

  static func == (lhs: JSONMapKey, rhs: JSONMapKey) -> Bool {
    switch (lhs, rhs) {
    case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
    case (.signed(let a), .signed(let b)): a == b
    case (.unsigned(let a), .unsigned(let b)): a == b
    default: false
    }
  }
}
