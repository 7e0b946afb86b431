/// The open frames of an ``EncodingEngine``, innermost last. The first eight are stored inline,
/// so a value nested less than eight levels deep (almost every message) is encoded without
/// allocating the stack; deeper frames go to an array.
struct FrameStack {
  private typealias Inline = InlineArray<8, EncodingEngine.Frame>
  private static let inlineCapacity = Inline.count
  private var inline = Inline(repeating: .none)
  private var overflow: [EncodingEngine.Frame] = []
  private(set) var count = 0
  /// The innermost open frame's id, nil when none is open. Stored, so a container can check
  /// it through the engine without the stack being copied, as reading a computed property
  /// of the engine's stored stack does.
  private(set) var innermostID: Int?

  subscript(index: Int) -> EncodingEngine.Frame {
    index < Self.inlineCapacity ? inline[index] : overflow[index - Self.inlineCapacity]
  }

  mutating func append(_ frame: EncodingEngine.Frame) {
    if count < Self.inlineCapacity {
      inline[count] = frame
    } else {
      overflow.append(frame)
    }
    count += 1
    innermostID = frame.id
  }

  /// Pops the innermost frame; the stack must not be empty.
  mutating func removeLast() -> EncodingEngine.Frame {
    precondition(count > 0, "no open frame to close")
    count -= 1
    let frame = count < Self.inlineCapacity ? inline[count] : overflow.removeLast()
    innermostID = count == 0 ? nil : self[count - 1].id
    return frame
  }

  /// Where the open frame with `id` is, searching from the innermost.
  func lastIndex(ofID id: Int) -> Int? {
    var index = count - 1
    while index >= 0 {
      if self[index].id == id { return index }
      index -= 1
    }
    return nil
  }

  func contains(_ frame: EncodingEngine.Frame) -> Bool {
    lastIndex(ofID: frame.id).map { self[$0] == frame } ?? false
  }
}
