internal import Foundation
internal import Testing
internal import WireFormat

@Suite("Decoding errors")
struct WireFormatErrorTests {
  struct Inner: Codable, Equatable {
    var name: String
    enum CodingKeys: Int, CodingKey { case name = 3 }
  }

  struct Middle: Codable, Equatable {
    var inner: Inner
    enum CodingKeys: Int, CodingKey { case inner = 2 }
  }

  struct Outer: Codable, Equatable {
    var outer: Middle
    enum CodingKeys: Int, CodingKey { case outer = 1 }
  }

  struct Contacts: Codable {
    var phones: [Phone]
    enum CodingKeys: Int, CodingKey { case phones = 1 }
  }

  struct Wrapper<T: Codable>: Codable {
    var value: T
    enum CodingKeys: Int, CodingKey { case value = 1 }
  }

  private func decodeError<T: Decodable>(
    _ type: T.Type, _ bytes: [UInt8], limits: BinaryDecoder.Limits = .default
  ) throws -> WireFormatError {
    try #require(throws: WireFormatError.self) {
      try BinaryDecoder(limits: limits).decode(T.self, from: bytes)
    }
  }

  @Test("a missing required field names its path and number")
  func missingField() throws {
    // outer = { inner = { } }
    let error = try decodeError(Outer.self, hex("0A 02 12 00"))
    #expect(error.code == .missingRequiredField)
    #expect(error.codingPath == "outer.inner.name")
    #expect(error.description == "missing required field 'outer.inner.name' (field number 3)")
  }

  @Test("a missing named field says it is named")
  func missingNamedField() throws {
    let error = try decodeError(Named.self, hex("02 05 74 69 74 6C 65 01 78"))
    #expect(error.code == .missingRequiredField)
    #expect(error.codingPath == "count")
    #expect(error.description.contains("named field"))
  }

  @Test("paths name array elements by index")
  func arrayPath() throws {
    let contacts = Contacts(phones: [Phone(kind: "a", number: "1"), Phone(kind: "b", number: "2"), Phone(kind: "c", number: "")])
    var bytes = try BinaryEncoder().encode(contacts)
    // Make the last phone's empty number (12 00) a varint zero (10 00).
    let index = try #require(bytes.lastIndex(of: 0x12))
    bytes[index] = 0x10
    let error = try decodeError(Contacts.self, bytes)
    #expect(error.code == .wrongWireType)
    #expect(error.codingPath == "phones[2].number")
    #expect(error.description.contains("expected length-delimited, found varint"))
  }

  @Test("paths name map values by key")
  func mapPath() throws {
    // {"k": bool 2}
    let error = try decodeError([String: Bool].self, hex("03 01 6B 02"))
    #expect(error.code == .valueOutOfRange)
    #expect(error.codingPath == "[k]")
  }

  @Test("wrong wire type for a scalar, a message and an array")
  func wrongWireType() throws {
    #expect(try decodeError(Point.self, hex("0A 00")).code == .wrongWireType)  // x as length-delimited
    #expect(try decodeError(Wrapper<Point>.self, hex("08 00")).code == .wrongWireType)
    #expect(try decodeError(Wrapper<[Int]>.self, hex("0D 00 00 00 00")).code == .wrongWireType)
    #expect(try decodeError(Wrapper<Double>.self, hex("0D 00 00 00 00")).code == .wrongWireType)
    #expect(try decodeError(Wrapper<Status>.self, hex("0A 00")).code == .wrongWireType)
  }

  @Test("truncating a valid message at any byte is an error, never a crash")
  func truncation() throws {
    let bytes = try BinaryEncoder().encode(Profile.sample)
    for length in 0..<bytes.count {
      #expect(throws: WireFormatError.self, "length \(length)") {
        try BinaryDecoder().decode(Profile.self, from: Array(bytes.prefix(length)))
      }
    }
  }

  @Test("a truncated varint and an overlong one")
  func varints() throws {
    #expect(try decodeError(Point.self, hex("08 80")).code == .truncatedInput)
    #expect(try decodeError(Int.self, hex("80 80 80 80 80 80 80 80 80 80 01")).code == .malformedVarint)
    #expect(try decodeError(Int.self, hex("FF FF FF FF FF FF FF FF FF 02")).code == .malformedVarint)
    #expect(try BinaryDecoder().decode(UInt64.self, from: hex("FF FF FF FF FF FF FF FF FF 01")) == .max)
  }

  @Test("undefined wire types and lengths past the end are malformed input")
  func malformed() throws {
    for wireType in [3, 4, 6, 7] {
      #expect(try decodeError(Point.self, [UInt8(8 | wireType), 0]).code == .malformedInput)
    }
    #expect(try decodeError(Point.self, hex("0A FF FF FF FF 0F")).code == .truncatedInput)
    #expect(try decodeError(Point.self, hex("FA FF FF FF 1F")).code == .malformedInput)  // field number 2^30 - 1
    #expect(try decodeError(Int.self, hex("02 00")).code == .malformedInput)  // trailing byte
  }

  @Test("invalid UTF-8 in a string")
  func invalidUTF8() throws {
    let error = try decodeError(Phone.self, hex("0A 02 C3 28 12 00"))
    #expect(error.code == .invalidUTF8)
    #expect(error.codingPath == "kind")
  }

  @Test("integers out of range for the Swift type", arguments: [
    (hex("08 80 02"), "Int8"), (hex("08 80 80 04"), "Int16"), (hex("08 80 80 80 80 10"), "Int32"),
  ])
  func signedOutOfRange(_ bytes: [UInt8], _ typeName: String) throws {
    let error: WireFormatError
    switch typeName {
    case "Int8": error = try decodeError(Wrapper<Int8>.self, bytes)
    case "Int16": error = try decodeError(Wrapper<Int16>.self, bytes)
    default: error = try decodeError(Wrapper<Int32>.self, bytes)
    }
    #expect(error.code == .valueOutOfRange)
    #expect(error.codingPath == "value")
    #expect(error.description.contains(typeName))
  }

  @Test("unsigned integers out of range")
  func unsignedOutOfRange() throws {
    #expect(try decodeError(Wrapper<UInt8>.self, hex("08 80 02")).code == .valueOutOfRange)
    #expect(try decodeError(Wrapper<UInt16>.self, hex("08 80 80 04")).code == .valueOutOfRange)
    #expect(try decodeError(Wrapper<UInt32>.self, hex("08 80 80 80 80 10")).code == .valueOutOfRange)
    #expect(try decodeError([UInt8].self, hex("02 80 02")).code == .valueOutOfRange)
    #expect(try decodeError([Int8: Int].self, hex("03 80 02 00")).code == .valueOutOfRange)
  }

  @Test("a bool other than 0 or 1")
  func badBool() throws {
    let error = try decodeError(Wrapper<Bool>.self, hex("08 02"))
    #expect(error.code == .valueOutOfRange)
    #expect(error.description.contains("Bool"))
    #expect(try decodeError([Bool].self, hex("01 02")).code == .valueOutOfRange)
  }

  @Test("an unknown enum raw value names the field", arguments: [hex("08 08"), hex("0A 01 78")])
  func unknownEnum(_ bytes: [UInt8]) throws {
    let error: WireFormatError =
      bytes[0] == 0x08
      ? try decodeError(Wrapper<Status>.self, bytes) : try decodeError(Wrapper<Plan>.self, bytes)
    #expect(error.code == .unknownEnumValue)
    #expect(error.codingPath == "value")
  }

  @Test("a UUID that is not 16 bytes")
  func shortUUID() throws {
    #expect(try decodeError(Wrapper<UUID>.self, hex("0A 02 00 00")).code == .malformedInput)
  }

  @Test("a date beyond Int64 microseconds cannot be encoded")
  func hugeDate() throws {
    let error = try #require(throws: WireFormatError.self) {
      try BinaryEncoder().encode(Wrapper(value: Date(timeIntervalSince1970: 1e300)))
    }
    #expect(error.code == .valueOutOfRange)
    #expect(error.codingPath == "value")
  }

  @Test("nesting deeper than maxDepth, from bytes built by hand")
  func depthLimit() throws {
    // Node { value = 1, child = Node { … } }, 200 levels deep, built inside out.
    var bytes = hex("08 02")
    for _ in 0..<200 {
      var length: [UInt8] = []
      var count = bytes.count
      while count >= 0x80 {
        length.append(UInt8(count & 0x7F) | 0x80)
        count >>= 7
      }
      length.append(UInt8(count))
      bytes = hex("08 02 12") + length + bytes
    }
    let error = try decodeError(Node.self, bytes)
    #expect(error.code == .depthLimitExceeded)
    #expect(error.codingPath.hasPrefix("child.child.child"))
    // Within the limit, the same shape decodes.
    let chain = try BinaryEncoder().encode(Node.chain(depth: 60))
    #expect(try BinaryDecoder().decode(Node.self, from: chain) == Node.chain(depth: 60))
    let tight = BinaryDecoder.Limits(maxDepth: 10, maxContainerCount: 100)
    #expect(try decodeError(Node.self, chain, limits: tight).code == .depthLimitExceeded)
  }

  @Test("arrays of arrays count toward the depth")
  func arrayDepth() throws {
    // 100 arrays nested inside each other, the innermost empty.
    var bytes: [UInt8] = [0x00]
    for _ in 0..<100 {
      bytes = [UInt8(bytes.count)] + bytes
    }
    #expect(try decodeError([[[[[[[[Int]]]]]]]].self, bytes, limits: .init(maxDepth: 4, maxContainerCount: 10)).code == .depthLimitExceeded)
  }

  @Test("more elements than maxContainerCount")
  func containerLimit() throws {
    let limits = BinaryDecoder.Limits(maxDepth: 64, maxContainerCount: 10)
    let array = try BinaryEncoder().encode(Array(0..<11))
    #expect(try decodeError([Int].self, array, limits: limits).code == .containerLimitExceeded)
    #expect(try BinaryDecoder(limits: limits).decode([Int].self, from: BinaryEncoder().encode(Array(0..<10))) == Array(0..<10))
    let points = try BinaryEncoder().encode(Array(repeating: Point(x: 0, y: 0), count: 11))
    #expect(try decodeError([Point].self, points, limits: limits).code == .containerLimitExceeded)
    let map = try BinaryEncoder().encode(Dictionary(uniqueKeysWithValues: (0..<11).map { ($0, $0) }))
    #expect(try decodeError([Int: Int].self, map, limits: limits).code == .containerLimitExceeded)
    let fields = Array(repeating: [UInt8]([0x08, 0x00]), count: 11).flatMap { $0 }
    #expect(try decodeError(Point.self, fields, limits: limits).code == .containerLimitExceeded)
  }

  @Test("a huge declared length does not allocate, it fails")
  func hugeLength() throws {
    #expect(try decodeError([UInt8].self, hex("FF FF FF FF FF FF FF FF 7F")).code == .truncatedInput)
    #expect(try decodeError(String.self, hex("FF FF FF FF 0F 61")).code == .truncatedInput)
  }

  @Test("errors thrown by a type's own init(from:) are wrapped with their path")
  func wrappedDecodingError() throws {
    struct Positive: Codable {
      var value: Int
      init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int.self)
        guard value > 0 else {
          throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "must be positive"))
        }
      }
    }
    let error = try decodeError(Wrapper<Positive>.self, hex("08 01"))
    #expect(error.code == .invalidValue)
    #expect(error.codingPath == "value")
    #expect(error.description.contains("must be positive"))
    #expect(error.underlyingError is DecodingError)
  }

  @Test("superDecoder is a clear error")
  func superDecoder() throws {
    struct Sub: Decodable {
      enum Key: Int, CodingKey { case a = 1 }
      init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: Key.self).superDecoder()
      }
    }
    #expect(try decodeError(Sub.self, []).code == .unsupported)
  }

  @Test("descriptions are readable")
  func descriptions() throws {
    let error = try decodeError(Wrapper<Int8>.self, hex("08 80 02"))
    #expect(error.description == "value 128 out of range for Int8 at 'value'")
  }
}
