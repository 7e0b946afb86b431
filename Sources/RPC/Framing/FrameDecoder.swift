/// Cuts a byte stream into frames.
///
/// Bytes arrive in arbitrary pieces (split or coalesced reads); ``next()`` returns `nil` and
/// consumes nothing while a frame is incomplete. The payload length is checked against the limit
/// as soon as the header is complete, before anything is allocated for the payload.
package struct FrameDecoder: Sendable {
  /// Why the byte stream cannot be framed; the connection answers with GOAWAY and closes.
  package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    package let code: StatusCode
    package let message: String
    package var description: String { "\(code.name): \(message)" }
  }

  package let maxPayloadSize: Int
  private var buffer: [UInt8] = []
  private var readIndex = 0

  package init(maxPayloadSize: Int = Frame.defaultMaxPayloadSize) {
    self.maxPayloadSize = maxPayloadSize
  }

  /// Bytes received but not yet returned as frames.
  package var bufferedByteCount: Int { buffer.count - readIndex }

  /// Appends received bytes.
  package mutating func append(_ bytes: UnsafeRawBufferPointer) {
    compactIfWorthwhile()
    buffer.append(contentsOf: bytes)
  }

  package mutating func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// The next complete frame, `nil` when more bytes are needed.
  ///
  /// - Throws: ``Failure`` for a payload over the limit or an unknown frame type; the stream
  ///   cannot be resynchronised after that.
  package mutating func next() throws(Failure) -> Frame? {
    let available = buffer.count - readIndex
    guard available >= Frame.headerSize else { return nil }
    let (length, typeByte, flags, callID) = buffer.withUnsafeBufferPointer { bytes in
      let base = readIndex
      let length =
        Int(bytes[base]) << 24 | Int(bytes[base + 1]) << 16 | Int(bytes[base + 2]) << 8
        | Int(bytes[base + 3])
      let callID =
        UInt32(bytes[base + 6]) << 24 | UInt32(bytes[base + 7]) << 16
        | UInt32(bytes[base + 8]) << 8 | UInt32(bytes[base + 9])
      return (length, bytes[base + 4], bytes[base + 5], callID)
    }
    guard length <= maxPayloadSize else {
      throw Failure(
        code: .resourceExhausted,
        message: "frame of \(length) bytes exceeds the \(maxPayloadSize)-byte limit")
    }
    guard let type = FrameType(rawValue: typeByte) else {
      throw Failure(code: .internal, message: "unknown frame type 0x\(String(typeByte, radix: 16))")
    }
    guard available >= Frame.headerSize + length else { return nil }
    let payloadStart = readIndex + Frame.headerSize
    // The OK trailer ends almost every call: its payload is the shared constant, not a copy.
    // (Compared through a pointer: a slice of `buffer` alive below would make the buffer's
    // reset copy it.)
    let payload =
      type == .trailer && isOKTrailer(at: payloadStart, length: length)
      ? Trailer.okPayload : Array(buffer[payloadStart..<payloadStart + length])
    readIndex = payloadStart + length
    if readIndex == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      readIndex = 0
    }
    return Frame(type: type, flags: flags, callID: callID, payload: payload)
  }

  private func isOKTrailer(at start: Int, length: Int) -> Bool {
    let ok = Trailer.okPayload
    guard length == ok.count else { return false }
    return buffer.withUnsafeBufferPointer { bytes in
      UnsafeBufferPointer(rebasing: bytes[start..<start + length]).elementsEqual(ok)
    }
  }

  private mutating func compactIfWorthwhile() {
    if readIndex > 0 && readIndex >= buffer.count / 2 {
      buffer.removeSubrange(0..<readIndex)
      readIndex = 0
    }
  }
}
