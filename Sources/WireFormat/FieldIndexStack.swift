/// The field indexes of the messages a ``DecodingEngine`` is decoding, one run of entries per
/// keyed container, the innermost last. The first eight entries are stored inline, so a small
/// flat message (almost every request) is indexed without allocating; more go to an array
/// behind them.
///
/// The engine pops the runs a value pushed once that value is decoded (see
/// `DecodingEngine.decodeValue`), so the stack holds the messages on the current path, never
/// every message of a long array. (A type whose own `init(from:)` opens `nestedContainer`s
/// keeps their runs until it returns.)
struct FieldIndexStack {
  private typealias Inline = InlineArray<8, FieldEntry>
  private static let inlineCapacity = Inline.count
  private var inline = Inline(repeating: FieldEntry(number: 0, wireType: .varint, name: 0..<0, value: 0..<0))
  private var overflow: [FieldEntry] = []
  private(set) var count = 0

  /// The entry at `index`, which must be below `count`.
  ///
  /// `mutating` though it changes nothing, so that callers hand the stack over by address: a
  /// stack read out of the engine's stored property was copied whole, inline part and all,
  /// for every entry looked up.
  mutating func entry(at index: Int) -> FieldEntry {
    precondition(index < count, "field index entry \(index) is beyond the \(count) pushed")
    return index < Self.inlineCapacity ? inline[index] : overflow[index - Self.inlineCapacity]
  }

  mutating func append(_ entry: FieldEntry) {
    if count < Self.inlineCapacity {
      inline[count] = entry
    } else {
      overflow.append(entry)
    }
    count += 1
  }

  /// Pops every entry above the first `newCount`, keeping the array's capacity for the next run.
  mutating func truncate(to newCount: Int) {
    precondition(newCount >= 0 && newCount <= count, "cannot truncate \(count) entries to \(newCount)")
    let kept = Swift.max(newCount - Self.inlineCapacity, 0)
    if overflow.count > kept {
      overflow.removeLast(overflow.count - kept)
    }
    count = newCount
  }
}
