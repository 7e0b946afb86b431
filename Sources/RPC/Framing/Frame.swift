/// One frame: a 10-byte header (payload length, type, flags, call id) and its payload.
package struct Frame: Sendable, Equatable {
  /// Bytes in a frame header: u32 payload length, u8 type, u8 flags, u32 call id, big-endian.
  package static let headerSize = 10
  /// The default largest payload a peer accepts: 4 MiB.
  package static let defaultMaxPayloadSize = 4 << 20

  package var type: FrameType
  package var flags: UInt8
  package var callID: UInt32
  package var payload: [UInt8]

  package init(type: FrameType, flags: UInt8 = 0, callID: UInt32, payload: [UInt8] = []) {
    self.type = type
    self.flags = flags
    self.callID = callID
    self.payload = payload
  }

  /// Appends a frame header to `buffer`.
  package static func appendHeader(
    to buffer: inout [UInt8], type: FrameType, flags: UInt8, callID: UInt32, payloadLength: Int
  ) {
    let length = UInt32(truncatingIfNeeded: payloadLength)
    buffer.append(UInt8(truncatingIfNeeded: length >> 24))
    buffer.append(UInt8(truncatingIfNeeded: length >> 16))
    buffer.append(UInt8(truncatingIfNeeded: length >> 8))
    buffer.append(UInt8(truncatingIfNeeded: length))
    buffer.append(type.rawValue)
    buffer.append(flags)
    buffer.append(UInt8(truncatingIfNeeded: callID >> 24))
    buffer.append(UInt8(truncatingIfNeeded: callID >> 16))
    buffer.append(UInt8(truncatingIfNeeded: callID >> 8))
    buffer.append(UInt8(truncatingIfNeeded: callID))
  }

  /// Appends a whole frame whose payload is built in place by `writePayload`, so an encoder can
  /// write straight into the outbound buffer. The header's length is patched afterwards; if
  /// `writePayload` throws, `buffer` is restored to what it was.
  package static func append(
    to buffer: inout [UInt8], type: FrameType, flags: UInt8 = 0, callID: UInt32,
    maxPayloadSize: Int = Frame.defaultMaxPayloadSize,
    payload writePayload: (inout [UInt8]) throws -> Void
  ) throws {
    let start = buffer.count
    appendHeader(to: &buffer, type: type, flags: flags, callID: callID, payloadLength: 0)
    do {
      try writePayload(&buffer)
    } catch {
      buffer.removeSubrange(start...)
      throw error
    }
    let length = buffer.count - start - headerSize
    guard length <= maxPayloadSize else {
      buffer.removeSubrange(start...)
      throw RPCError(
        .resourceExhausted,
        "message of \(length) bytes exceeds the \(maxPayloadSize)-byte frame limit")
    }
    buffer[start] = UInt8(truncatingIfNeeded: length >> 24)
    buffer[start + 1] = UInt8(truncatingIfNeeded: length >> 16)
    buffer[start + 2] = UInt8(truncatingIfNeeded: length >> 8)
    buffer[start + 3] = UInt8(truncatingIfNeeded: length)
  }

  /// This frame's bytes: header then payload.
  package var bytes: [UInt8] {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(Frame.headerSize + payload.count)
    Frame.appendHeader(
      to: &buffer, type: type, flags: flags, callID: callID, payloadLength: payload.count)
    buffer.append(contentsOf: payload)
    return buffer
  }
}
