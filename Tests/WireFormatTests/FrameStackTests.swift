internal import Testing
@testable internal import WireFormat

@Suite("FrameStack")
struct FrameStackTests {
  func frame(_ id: Int) -> EncodingEngine.Frame { EncodingEngine.Frame(id: id, lengthPosition: id * 10) }

  @Test("frames pop innermost first, across the inline part and the array behind it")
  func pushAndPop() {
    var stack = FrameStack()
    #expect(stack.count == 0 && stack.innermostID == nil)
    for id in 1...12 { stack.append(frame(id)) }
    #expect(stack.count == 12)
    #expect(stack.innermostID == 12)
    #expect((0..<12).map { stack[$0].id } == Array(1...12))
    var popped: [Int] = []
    while stack.count > 0 {
      popped.append(stack.removeLast().id)
      // The innermost id follows the pops, across the array part and into the inline part.
      #expect(stack.innermostID == (stack.count == 0 ? nil : popped.last! - 1))
    }
    #expect(popped == Array((1...12).reversed()))
    // Pushing again after the array part emptied reuses both parts in order.
    for id in 20...29 { stack.append(frame(id)) }
    #expect((0..<10).map { stack[$0].id } == Array(20...29))
    #expect(stack.innermostID == 29)
  }

  @Test("a frame is found by its id while open, and not once closed")
  func lookup() {
    var stack = FrameStack()
    for id in 1...10 { stack.append(frame(id)) }
    #expect(stack.lastIndex(ofID: 3) == 2)
    #expect(stack.lastIndex(ofID: 10) == 9)
    #expect(stack.lastIndex(ofID: 11) == nil)
    #expect(stack.contains(frame(9)))
    // Same id, another length position: not that frame.
    #expect(!stack.contains(EncodingEngine.Frame(id: 9, lengthPosition: 1)))
    _ = stack.removeLast()
    _ = stack.removeLast()
    #expect(!stack.contains(frame(9)) && stack.lastIndex(ofID: 9) == nil)
    #expect(!stack.contains(.none))
  }
}
