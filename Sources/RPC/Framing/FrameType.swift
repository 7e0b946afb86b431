/// The type byte of a frame. See `proto/WIRE.md`, "Frames".
package enum FrameType: UInt8, Sendable {
  /// Connection setup, both directions, call id 0. Payload: ``Hello``.
  case hello = 0x01
  /// Client to server: a new call. Payload: ``CallStart``.
  case callStart = 0x02
  /// Either direction: one message of a call. Flag ``FrameFlags/endStream`` half-closes.
  case message = 0x03
  /// Client to server: the client sends no more messages on this call. Empty payload.
  case halfClose = 0x04
  /// Server to client: the call's end, with its status. Payload: ``Trailer``.
  case trailer = 0x05
  /// Client to server: abandon one call. Empty payload.
  case cancel = 0x06
  /// Either direction, call id 0: 8 opaque bytes to echo in a ``pong``.
  case ping = 0x07
  /// The answer to a ``ping``, with the same 8 bytes.
  case pong = 0x08
  /// Either direction, call id 0: no new calls on this connection. Payload: ``GoAway``.
  case goAway = 0x09
}

/// Flag bits of a frame header.
package enum FrameFlags {
  /// On a message frame: the sender sends no more messages on this call.
  package static let endStream: UInt8 = 0x01
}
