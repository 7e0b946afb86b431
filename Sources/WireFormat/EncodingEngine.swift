internal import Foundation

/// The Codable `Encoder` behind ``BinaryEncoder``: one growable buffer, written front to back.
///
/// Which bytes a value starts with depends on the container it asks for, so a field's key is
/// written lazily: `slot` says where the next value goes, and the value's first container
/// request (or single-value write) writes the key with the matching wire type. Messages and
/// arrays that are still being written sit on `frames`, each with the position of its reserved
/// length byte. A frame is closed (its length patched) when the value that opened it finishes,
/// or when a container further down the stack writes again (which is how
/// `nestedContainer(keyedBy:forKey:)` ends without an explicit close).
///
/// Codable entry points that cannot throw (`superEncoder()`, asking for two different kinds of
/// container) record a `failure` that surfaces when the value finishes.
final class EncodingEngine: Encoder, CodingPathOwner {
  /// Where the next value goes, and whether it has started.
  enum Slot {
    /// The top-level value: a message writes its fields bare; anything else its bare encoding.
    case topLevel
    /// A field of a message whose key is not written yet.
    case field(FieldKey)
    /// An array element, or a map entry's value: no key.
    case element
    /// The value has asked for a container or written its single value.
    case started(ContainerKind, Frame)
  }

  enum ContainerKind: String {
    case keyed, unkeyed, single = "single value"
  }

  /// An open message or array whose length byte is still to be patched.
  struct Frame: Equatable {
    /// Unique per engine, so a container can tell its frame from a later one at the same depth.
    var id: Int
    /// The reserved length byte, or -1 for the top-level message, which has no length.
    var lengthPosition: Int

    /// The frame of containers that must refuse every write.
    static let none = Frame(id: -1, lengthPosition: -1)
  }

  // Exclusivity is not checked dynamically on these: the engine is confined to one encode call
  // on one thread, and no access to a property begins while another access to it is running
  // (the writer's methods never call back into the engine). The runtime checks cost about a
  // quarter of the encoding time.
  @exclusivity(unchecked) var writer: WireWriter
  @exclusivity(unchecked) private(set) var frames = FrameStack()
  @exclusivity(unchecked) var slot: Slot = .topLevel
  @exclusivity(unchecked) var codingPath: [any CodingKey] = []
  @exclusivity(unchecked) private(set) var failure: WireFormatError?
  @exclusivity(unchecked) private var lastFrameID = 0

  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init() {
    writer = WireWriter()
  }

  /// Encodes `value` in `newSlot` (never `.started`), then closes the frames it opened.
  func encodeValue<T: Encodable>(_ value: T, in newSlot: Slot) throws {
    do throws(WireFormatError) {
      if try writeDirect(value, in: newSlot) {
        return
      }
    } catch {
      throw error.locating(at: CodingPath.render(codingPath))
    }
    try encodeComposite(value, in: newSlot)
  }

  /// Writes scalars, `Data`, `Date` and `UUID` straight to the writer, without the trip through
  /// their `encode(to:)` (for `Data` and `Date` that would give another encoding altogether).
  ///
  /// - Returns: false, having written nothing, for any other type.
  /// - Throws: `valueOutOfRange` for dates beyond ±292,000 years; the error carries no path.
  @inline(__always)
  func writeDirect<T>(_ value: T, in slot: Slot) throws(WireFormatError) -> Bool {
    if writeScalar(value, in: slot) {
      return true
    }
    if T.self == Data.self {
      writeHeader(slot, .lengthDelimited)
      writer.writeLengthPrefixed(unsafeBitCast(value, to: Data.self))
    } else if T.self == Date.self {
      try writeDate(unsafeBitCast(value, to: Date.self), in: slot)
    } else if T.self == UUID.self {
      writeHeader(slot, .lengthDelimited)
      writer.writeVarint(16)
      withUnsafeBytes(of: unsafeBitCast(value, to: UUID.self).uuid) { writer.bytes.append(contentsOf: $0) }
    } else {
      return false
    }
    return true
  }

  /// Encodes a string array or wire enum directly (``writeCommonComposite(_:in:)``), a map as a
  /// map, or any other type through its own `encode(to:)`.
  private func encodeComposite<T: Encodable>(_ value: T, in newSlot: Slot) throws {
    if try writeCommonComposite(value, in: newSlot) {
      return
    }
    let mark = frames.count
    // Every Dictionary is one reference wide; checking the size first skips the costly
    // conformance lookup for almost every message type.
    if MemoryLayout<T>.size == MemoryLayout<[String: Int]>.size, let map = value as? any EncodableWireMap {
      writeHeader(newSlot, .lengthDelimited)
      pushFrame(lengthPosition: writer.reserveLength())
      try map.encodeWireMap(to: self)
      closeFrames(downTo: mark)
      return
    }
    let saved = slot
    slot = newSlot
    defer { slot = saved }
    do {
      try value.encode(to: self)
    } catch let error as WireFormatError {
      throw error
    } catch {
      throw WireFormatError.wrapping(error, path: CodingPath.render(codingPath))
    }
    // A value that asked for no container at all is written as an empty message.
    switch slot {
    case .field(let key):
      writer.writeKey(key, .lengthDelimited)
      writer.writeVarint(0)
    case .element:
      writer.writeVarint(0)
    case .topLevel, .started:
      break
    }
    closeFrames(downTo: mark)
    if let failure { throw failure }
  }

  /// Writes the two composite shapes response messages use most, string arrays (roles,
  /// scopes) and ``WireEnum`` values, without their `encode(to:)`, its container, and (for
  /// arrays) the map cast in ``encodeComposite(_:in:)``. The bytes are the same as through
  /// `encode(to:)`: an array is a length-delimited run of bare strings, and a wire enum is its
  /// raw value, which is what ``WireEnum`` promises.
  ///
  /// - Returns: false, having written nothing, for any other type.
  private func writeCommonComposite<T: Encodable>(_ value: T, in newSlot: Slot) throws -> Bool {
    if T.self == [String].self {
      if case .started = newSlot { return false }
      let mark = frames.count
      openFrame(.unkeyed, in: newSlot)
      for string in unsafeBitCast(value, to: [String].self) {
        writer.writeString(string)
      }
      closeFrames(downTo: mark)
      return true
    }
    // Every enum with raw values and fewer than 257 cases is at most one byte; so are only a
    // few other types (empty structs, one-byte scalars, written before this), so the costly
    // conformance lookup runs for almost nothing but enums.
    if MemoryLayout<T>.size <= 1, let wireEnum = value as? any WireEnum {
      try encodeRawValue(of: wireEnum, in: newSlot)
      return true
    }
    return false
  }

  private func encodeRawValue<E: WireEnum>(of value: E, in slot: Slot) throws {
    try encodeValue(value.rawValue, in: slot)
  }

  /// Writes `value` directly if `T` is a Swift scalar type, saving the trip through its
  /// `encode(to:)` and a single value container (arrays of scalars, map values).
  ///
  /// - Returns: whether `T` was a scalar type and has been written.
  @inline(__always)
  private func writeScalar<T>(_ value: T, in slot: Slot) -> Bool {
    // Each branch runs only when T is exactly the type it reinterprets the value as, which
    // makes `unsafeBitCast` a no-op copy; `as?` would cost a runtime cast per element.
    if T.self == String.self {
      writeHeader(slot, .lengthDelimited)
      writer.writeString(unsafeBitCast(value, to: String.self))
    } else if T.self == Int.self {
      writeHeader(slot, .varint)
      writer.writeZigZag(Int64(unsafeBitCast(value, to: Int.self)))
    } else if T.self == Bool.self {
      writeHeader(slot, .varint)
      writer.writeVarint(unsafeBitCast(value, to: Bool.self) ? 1 : 0)
    } else if T.self == Double.self {
      writeHeader(slot, .fixed64)
      writer.writeFixed64(unsafeBitCast(value, to: Double.self).bitPattern)
    } else if T.self == Int64.self {
      writeHeader(slot, .varint)
      writer.writeZigZag(unsafeBitCast(value, to: Int64.self))
    } else if T.self == UInt64.self {
      writeHeader(slot, .varint)
      writer.writeVarint(unsafeBitCast(value, to: UInt64.self))
    } else if T.self == Int32.self {
      writeHeader(slot, .varint)
      writer.writeZigZag(Int64(unsafeBitCast(value, to: Int32.self)))
    } else if T.self == UInt32.self {
      writeHeader(slot, .varint)
      writer.writeVarint(UInt64(unsafeBitCast(value, to: UInt32.self)))
    } else if T.self == Float.self {
      writeHeader(slot, .fixed32)
      writer.writeFixed32(unsafeBitCast(value, to: Float.self).bitPattern)
    } else if T.self == UInt8.self {
      writeHeader(slot, .varint)
      writer.writeVarint(UInt64(unsafeBitCast(value, to: UInt8.self)))
    } else if T.self == UInt.self {
      writeHeader(slot, .varint)
      writer.writeVarint(UInt64(unsafeBitCast(value, to: UInt.self)))
    } else if T.self == Int8.self {
      writeHeader(slot, .varint)
      writer.writeZigZag(Int64(unsafeBitCast(value, to: Int8.self)))
    } else if T.self == Int16.self {
      writeHeader(slot, .varint)
      writer.writeZigZag(Int64(unsafeBitCast(value, to: Int16.self)))
    } else if T.self == UInt16.self {
      writeHeader(slot, .varint)
      writer.writeVarint(UInt64(unsafeBitCast(value, to: UInt16.self)))
    } else {
      return false
    }
    return true
  }

  private func writeDate(_ date: Date, in slot: Slot) throws(WireFormatError) {
    let micros = (date.timeIntervalSince1970 * 1e6).rounded()
    guard let value = Int64(exactly: micros) else {
      throw .valueOutOfRange(type: "Date", value: String(date.timeIntervalSince1970))
    }
    writeHeader(slot, .varint)
    writer.writeZigZag(value)
  }

  /// Writes the key a scalar in `slot` needs: fields have one, elements and top-level values not.
  @inline(__always)
  func writeHeader(_ slot: Slot, _ wireType: WireType) {
    if case .field(let key) = slot {
      writer.writeKey(key, wireType)
    }
  }

  // MARK: Frames

  @discardableResult
  func pushFrame(lengthPosition: Int) -> Frame {
    lastFrameID += 1
    let frame = Frame(id: lastFrameID, lengthPosition: lengthPosition)
    frames.append(frame)
    return frame
  }

  /// Patches and pops every frame above the first `count`.
  func closeFrames(downTo count: Int) {
    while frames.count > count {
      let frame = frames.removeLast()
      if frame.lengthPosition >= 0 {
        writer.patchLength(at: frame.lengthPosition)
      }
    }
  }

  /// Makes `frame` the innermost open frame again by closing the nested ones above it.
  ///
  /// - Throws: `unsupported` when `frame` has already been closed: a container was used after the
  ///   value that owned it finished encoding.
  func reopen(_ frame: Frame) throws(WireFormatError) {
    guard frame.id >= 0, let index = frames.lastIndex(ofID: frame.id) else {
      throw failure
        ?? .unsupported(
          "a container was used after its value finished encoding",
          path: CodingPath.render(codingPath))
    }
    closeFrames(downTo: index + 1)
  }

  /// Starts a nested message or array: key (for fields), reserved length byte, frame.
  func startNested(key: FieldKey?) -> Frame {
    if let key {
      writer.writeKey(key, .lengthDelimited)
    }
    return pushFrame(lengthPosition: writer.reserveLength())
  }

  /// Records a failure from a Codable entry point that cannot throw; the first one wins.
  func fail(_ error: WireFormatError) {
    if failure == nil {
      failure = error.locating(at: CodingPath.render(codingPath))
    }
  }

  // MARK: Coding path

  // MARK: Encoder

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(
      MessageEncodingContainer<Key>(engine: self, frame: start(.keyed), nestedPath: nil))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    ArrayEncodingContainer(engine: self, frame: start(.unkeyed), nestedPath: nil)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    ValueEncodingContainer(engine: self)
  }

  /// Writes the header of a message or array in the current slot and opens its frame.
  private func start(_ kind: ContainerKind) -> Frame {
    if case .started(let started, let existing) = slot {
      // A second request of the same kind (a subclass and its superclass) shares the frame.
      if started == kind, frames.contains(existing) {
        return existing
      }
      fail(.unsupported("a value asked for a \(kind.rawValue) container after a \(started.rawValue) one"))
      return .none
    }
    let frame = openFrame(kind, in: slot)
    slot = .started(kind, frame)
    return frame
  }

  /// Writes the header of a message or array in `slot`, which must not have started, and opens
  /// its frame.
  @discardableResult
  private func openFrame(_ kind: ContainerKind, in slot: Slot) -> Frame {
    switch slot {
    case .topLevel:
      // The top-level message has no length; a top-level array is written bare, with one.
      return pushFrame(lengthPosition: kind == .keyed ? -1 : writer.reserveLength())
    case .field(let key):
      return startNested(key: key)
    case .element:
      return startNested(key: nil)
    case .started:
      preconditionFailure("a started slot already has its frame")
    }
  }

  /// What `superEncoder()` returns: the encoding has no place for a superclass's fields, so
  /// the encode fails with a clear error when the value finishes.
  func unsupportedSuperEncoder() -> any Encoder {
    fail(.unsupported("superEncoder() is not supported; encode the superclass's fields directly"))
    return self
  }
}
