internal import Foundation
internal import Testing
internal import WireFormat

/// RFC 3339 handling, seen through JSON transcoding of a timestamp field.
@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
  struct Stamp: Codable, Equatable {
    var at: Date
    enum CodingKeys: Int, CodingKey { case at = 1 }
  }

  static let transcoder: JSONTranscoder = {
    var schema = SchemaSet()
    _ = try? schema.add(Stamp.self)
    return JSONTranscoder(schema: schema)
  }()

  /// The microseconds a timestamp string encodes to.
  private func micros(_ text: String) throws -> Int64 {
    let bytes = try Self.transcoder.encode(json: Data(#"{"at":"\#(text)"}"#.utf8), as: "RFC3339Tests.Stamp")
    var value: UInt64 = 0
    var shift: UInt64 = 0
    for byte in bytes.dropFirst() {
      value |= UInt64(byte & 0x7F) << shift
      shift += 7
    }
    return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
  }

  /// The string the transcoder writes for a number of microseconds.
  private func text(_ micros: Int64) throws -> String {
    var bytes: [UInt8] = [0x08]
    var value = UInt64(bitPattern: (micros << 1) ^ (micros >> 63))
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7F) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
    let json = String(decoding: try Self.transcoder.decode(bytes, as: "RFC3339Tests.Stamp"), as: UTF8.self)
    return String(json.dropFirst(7).dropLast(2))
  }

  @Test("known instants", arguments: [
    (Int64(0), "1970-01-01T00:00:00Z"),
    (1, "1970-01-01T00:00:00.000001Z"),
    (-1, "1969-12-31T23:59:59.999999Z"),
    (1_795_435_200_123_456, "2026-11-23T12:00:00.123456Z"),
    (951_782_400_000_000, "2000-02-29T00:00:00Z"),
    (-62_135_596_800_000_000, "0001-01-01T00:00:00Z"),
    (-62_167_219_200_000_000, "0000-01-01T00:00:00Z"),
    (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
  ])
  func known(_ micros: Int64, _ text: String) throws {
    #expect(try self.text(micros) == text)
    #expect(try self.micros(text) == micros)
  }

  /// Foundation switches to the Julian calendar before the Gregorian reform (1582-10-15);
  /// RFC 3339 is proleptic Gregorian, so the comparison starts there.
  @Test("agrees with Foundation's ISO 8601 formatter on random instants since 1582")
  func foundation() throws {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    var rng = SplitMix64(seed: 3339)
    for _ in 0..<500 {
      let seconds = Int64.random(in: -12_219_292_800...253_402_300_799, using: &rng)
      let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
      #expect(try text(seconds * 1_000_000) == expected)
      #expect(try micros(expected) == seconds * 1_000_000)
    }
  }

  @Test("offsets, lower case, missing and long fractions")
  func variants() throws {
    let noon = try micros("2026-11-23T12:00:00Z")
    #expect(try micros("2026-11-23T13:30:00+01:30") == noon)
    #expect(try micros("2026-11-23T07:00:00-05:00") == noon)
    #expect(try micros("2026-11-23t12:00:00z") == noon)
    #expect(try micros("2026-11-23T12:00:00.5Z") == noon + 500_000)
    #expect(try micros("2026-11-23T12:00:00.1234564Z") == noon + 123_456)
    #expect(try micros("2026-11-23T12:00:00.1234565Z") == noon + 123_457)
    #expect(try micros("2026-11-23T12:00:00.000000999Z") == noon + 1)
  }

  @Test("malformed timestamps", arguments: [
    "2026-11-23", "2026-11-23T12:00Z", "2026-11-23T12:00:00", "2026-13-01T00:00:00Z",
    "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T12:60:00Z",
    "2026-11-23T12:00:60Z", "2026-11-23T12:00:00.Z", "2026-11-23T12:00:00+1:00", "2026-11-23T12:00:00+24:00",
    "2026-11-23T12:00:00Zjunk", "2026-11-23 12:00:00Z", "26-11-23T12:00:00Z", "2026-11-23T12:00:00.+01:00",
  ])
  func malformed(_ text: String) throws {
    let error = try #require(throws: WireFormatError.self) { try micros(text) }
    #expect(error.code == .invalidValue)
    #expect(error.codingPath == "at")
  }

  @Test("years outside 0000...9999 cannot be written")
  func outOfRange() throws {
    let error = try #require(throws: WireFormatError.self) { try text(253_402_300_800_000_000) }
    #expect(error.code == .valueOutOfRange)
    #expect(throws: WireFormatError.self) { try text(.min) }
  }
}
