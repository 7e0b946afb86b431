import RPC
import Testing

@Suite struct FrameDecoderTests {
  let frames = [
    Frame(type: .callStart, callID: 1, payload: Array("start".utf8)),
    Frame(type: .message, flags: FrameFlags.endStream, callID: 1, payload: Array(repeating: 7, count: 300)),
    Frame(type: .halfClose, callID: 2),
    Frame(type: .ping, callID: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8]),
  ]

  var stream: [UInt8] { frames.flatMap(\.bytes) }

  @Test func headerLayoutIsBigEndianLengthTypeFlagsCallID() {
    let bytes = Frame(type: .message, flags: 1, callID: 0x0102_0304, payload: [0xAA, 0xBB]).bytes
    #expect(bytes == [0, 0, 0, 2, 0x03, 0x01, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB])
  }

  @Test func coalescedBytesYieldEveryFrame() throws {
    var decoder = FrameDecoder()
    decoder.append(stream)
    var decoded: [Frame] = []
    while let frame = try decoder.next() { decoded.append(frame) }
    #expect(decoded == frames)
    #expect(decoder.bufferedByteCount == 0)
  }

  @Test(arguments: [1, 2, 3, 7, 10, 11, 64])
  func splitBytesYieldTheSameFrames(chunkSize: Int) throws {
    var decoder = FrameDecoder()
    var decoded: [Frame] = []
    var offset = 0
    let bytes = stream
    while offset < bytes.count {
      let end = min(bytes.count, offset + chunkSize)
      decoder.append(Array(bytes[offset..<end]))
      offset = end
      while let frame = try decoder.next() { decoded.append(frame) }
    }
    #expect(decoded == frames)
  }

  @Test func incompleteFrameConsumesNothing() throws {
    var decoder = FrameDecoder()
    let bytes = frames[1].bytes
    decoder.append(Array(bytes.dropLast()))
    #expect(try decoder.next() == nil)
    #expect(decoder.bufferedByteCount == bytes.count - 1)
    decoder.append([bytes.last!])
    #expect(try decoder.next() == frames[1])
  }

  @Test func oversizedFrameIsRefusedFromItsHeaderAlone() {
    var decoder = FrameDecoder(maxPayloadSize: 1024)
    // Only the header of a 1 GiB frame: refused before any payload arrives.
    decoder.append([0x40, 0, 0, 0, FrameType.message.rawValue, 0, 0, 0, 0, 1])
    #expect(throws: FrameDecoder.Failure.self) { try decoder.next() }
    do {
      _ = try decoder.next()
    } catch {
      #expect(error.code == .resourceExhausted)
      #expect(error.message.contains("1073741824"))
    }
  }

  @Test func unknownFrameTypeIsRefused() {
    var decoder = FrameDecoder()
    decoder.append([0, 0, 0, 0, 0xEE, 0, 0, 0, 0, 1])
    #expect(throws: FrameDecoder.Failure.self) { try decoder.next() }
  }

  @Test func truncatedStreamNeverYieldsAPartialFrame() throws {
    let bytes = stream
    for cut in 0..<bytes.count {
      var decoder = FrameDecoder()
      decoder.append(Array(bytes[0..<cut]))
      var count = 0
      while let frame = try decoder.next() {
        #expect(frame == frames[count])
        count += 1
      }
      #expect(count < frames.count)
    }
  }

  @Test func appendBuildsPayloadInPlaceAndRestoresOnFailure() throws {
    struct Boom: Error {}
    var buffer: [UInt8] = [9, 9]
    try Frame.append(to: &buffer, type: .message, callID: 5) { $0.append(contentsOf: [1, 2, 3]) }
    #expect(buffer == [9, 9] + Frame(type: .message, callID: 5, payload: [1, 2, 3]).bytes)
    let before = buffer
    #expect(throws: Boom.self) {
      try Frame.append(to: &buffer, type: .message, callID: 6) { $0.append(1); throw Boom() }
    }
    #expect(buffer == before)
    #expect(throws: RPCError.self) {
      try Frame.append(to: &buffer, type: .message, callID: 7, maxPayloadSize: 2) {
        $0.append(contentsOf: [1, 2, 3])
      }
    }
    #expect(buffer == before)
  }

  /// The decoder hands out the OK trailer's payload as the shared constant: every payload must
  /// still be the frame's own bytes, including a trailer of the same length with other bytes, a
  /// message with the OK bytes and a shorter trailer.
  @Test func trailerPayloadsAreTheFramesBytes() throws {
    let ok = Trailer.okPayload
    var other = ok
    other[other.count - 1] ^= 0xFF
    let expected = [
      Frame(type: .trailer, callID: 1, payload: ok),
      Frame(type: .trailer, callID: 2, payload: other),
      Frame(type: .message, callID: 3, payload: ok),
      Frame(type: .trailer, callID: 4, payload: Array(ok.dropLast())),
      Frame(type: .trailer, callID: 5, payload: ok),
    ]
    var decoder = FrameDecoder()
    decoder.append(expected.flatMap(\.bytes))
    var decoded: [Frame] = []
    while let frame = try decoder.next() { decoded.append(frame) }
    #expect(decoded == expected)
    #expect(decoder.bufferedByteCount == 0)
  }
}
