internal import Foundation
internal import Testing
internal import WireFormat

/// `Data`, `Date` and `UUID` fields are read straight from a message's index, without the
/// `Decodable` trip other values take; the errors, paths and depth rule must be those of the
/// general path.
@Suite("Direct field decoding")
struct DirectFieldDecodingTests {
  struct Leaves: Codable, Equatable {
    var blob: Data
    var when: Date
    var id: UUID
    var maybeBlob: Data?
    var maybeWhen: Date?
    var maybeID: UUID?
    enum CodingKeys: Int, CodingKey {
      case blob = 1, when = 2, id = 3, maybeBlob = 4, maybeWhen = 5, maybeID = 6
    }
  }

  struct Holder: Codable, Equatable {
    var leaves: Leaves
    enum CodingKeys: Int, CodingKey { case leaves = 1 }
  }

  struct Blob: Codable, Equatable {
    var blob: Data
    enum CodingKeys: Int, CodingKey { case blob = 1 }
  }

  struct Wrapper<T: Codable & Equatable>: Codable, Equatable {
    var value: T
    enum CodingKeys: Int, CodingKey { case value = 1 }
  }

  private static let sample = Leaves(
    blob: Data((0..<200).map { UInt8(truncatingIfNeeded: $0) }),
    when: Date(timeIntervalSince1970: 1_700_000_000.123456),
    id: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!,
    maybeBlob: Data([1, 2, 3]), maybeWhen: nil, maybeID: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)

  private func decodeError<T: Decodable>(
    _ type: T.Type, _ bytes: [UInt8], limits: BinaryDecoder.Limits = .default
  ) throws -> WireFormatError {
    try #require(throws: WireFormatError.self) {
      try BinaryDecoder(limits: limits).decode(T.self, from: bytes)
    }
  }

  @Test("Data, Date and UUID fields, required and optional, round-trip at the top and nested")
  func roundTrip() throws {
    let top = try BinaryEncoder().encode(Self.sample)
    #expect(try BinaryDecoder().decode(Leaves.self, from: top) == Self.sample)
    let nested = Holder(leaves: Self.sample)
    #expect(try BinaryDecoder().decode(Holder.self, from: BinaryEncoder().encode(nested)) == nested)
    let empty = Blob(blob: Data())
    #expect(try BinaryDecoder().decode(Blob.self, from: BinaryEncoder().encode(empty)) == empty)
  }

  @Test("a Data field with the wrong wire type names its path")
  func wrongWireType() throws {
    // holder.leaves = { blob as a varint }
    let error = try decodeError(Holder.self, hex("0A 02 08 05"))
    #expect(error.code == .wrongWireType)
    #expect(error.codingPath == "leaves.blob")
  }

  @Test("a Date field sent length-delimited, and a UUID of the wrong size, name their paths")
  func dateAndUUIDErrors() throws {
    let date = try decodeError(Wrapper<Date>.self, hex("0A 01 00"))
    #expect(date.code == .wrongWireType)
    #expect(date.codingPath == "value")
    let uuid = try decodeError(Wrapper<UUID>.self, hex("0A 02 00 00"))
    #expect(uuid.code == .malformedInput)
    #expect(uuid.codingPath == "value")
  }

  @Test("a missing Data field is a missing required field with its number")
  func missing() throws {
    let error = try decodeError(Blob.self, [])
    #expect(error.code == .missingRequiredField)
    #expect(error.codingPath == "blob")
  }

  @Test("a Data field counts toward the depth as any value does")
  func depth() throws {
    // Wrapper<Wrapper<Blob>>: the Data sits at depth 4 (top level 1, two wrappers, Blob).
    let value = Wrapper(value: Wrapper(value: Blob(blob: Data([7]))))
    let bytes = try BinaryEncoder().encode(value)
    #expect(try BinaryDecoder(limits: .init(maxDepth: 4, maxContainerCount: 10)).decode(
      Wrapper<Wrapper<Blob>>.self, from: bytes) == value)
    let error = try decodeError(
      Wrapper<Wrapper<Blob>>.self, bytes, limits: .init(maxDepth: 3, maxContainerCount: 10))
    #expect(error.code == .depthLimitExceeded)
    #expect(error.codingPath == "value.value.blob")
  }
}
