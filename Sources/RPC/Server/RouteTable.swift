internal import Glibc

/// The routes of a server, found by the UTF-8 bytes of a method name.
///
/// Purpose: a call start names its method in bytes. Matching those bytes here, and taking the
/// route's own `String` for the call's context, spares a `String` per call: method names are
/// longer than the 15 bytes Swift stores inline, so each would cost an allocation, a UTF-8 check
/// and a hash of the string.
///
/// Open addressing over a power-of-two table at most half full, FNV-1a hashes, names compared
/// byte for byte.
package struct RouteTable: Sendable {
  private struct Entry: Sendable {
    let fullName: String
    let name: [UInt8]
    let route: RPCRouter.Route
  }

  private let entries: [Entry]
  /// Index into `entries` plus one; zero is an empty slot.
  private let slots: [Int32]
  private let mask: Int

  package init(_ routes: [String: RPCRouter.Route]) {
    let entries = routes.sorted { $0.key < $1.key }.map {
      Entry(fullName: $0.key, name: Array($0.key.utf8), route: $0.value)
    }
    var capacity = 8
    while capacity < entries.count * 2 { capacity *= 2 }
    var slots = [Int32](repeating: 0, count: capacity)
    for (index, entry) in entries.enumerated() {
      var slot = entry.name.withUnsafeBytes { Self.hash($0) } & (capacity - 1)
      while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = Int32(index + 1)
    }
    self.entries = entries
    self.slots = slots
    self.mask = capacity - 1
  }

  /// The route whose full name is exactly `name`, with that name as a stored `String`.
  package func route(
    named name: UnsafeRawBufferPointer
  ) -> (fullName: String, route: RPCRouter.Route)? {
    var slot = Self.hash(name) & mask
    while true {
      let index = Int(slots[slot])
      if index == 0 { return nil }
      let entry = entries[index - 1]
      let matches = entry.name.withUnsafeBytes { stored in
        stored.count == name.count
          && (name.isEmpty || memcmp(stored.baseAddress!, name.baseAddress!, name.count) == 0)
      }
      if matches { return (entry.fullName, entry.route) }
      slot = (slot + 1) & mask
    }
  }

  /// FNV-1a, 64 bits: not for untrusted keys in general, but a caller's method name only
  /// chooses where a probe of this small, fixed, half-empty table starts.
  private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return Int(truncatingIfNeeded: hash)
  }
}
