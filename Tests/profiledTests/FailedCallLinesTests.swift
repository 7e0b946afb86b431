import Testing

@testable import profiled

@Suite struct FailedCallLinesTests {
  let start = ContinuousClock.now

  @Test func aBurstIsWrittenAndTheRestOfItsWindowCounted() {
    let lines = FailedCallLines(burst: 3, window: .seconds(10))
    let decisions = (0..<5).map { lines.admit(at: start + .milliseconds($0)) }
    #expect(decisions == [.write(heldBack: 0), .write(heldBack: 0), .write(heldBack: 0), .holdBack, .holdBack])
    // The next window's first line carries the count of the lines held back before it.
    #expect(lines.admit(at: start + .seconds(10)) == .write(heldBack: 2))
    #expect(lines.admit(at: start + .seconds(11)) == .write(heldBack: 0))
    #expect(lines.takeHeldBack() == 0)
  }

  @Test func linesHeldBackAtTheEndAreTakenOnce() {
    let lines = FailedCallLines(burst: 1, window: .seconds(60))
    #expect(lines.admit(at: start) == .write(heldBack: 0))
    for offset in 1...4 {
      #expect(lines.admit(at: start + .seconds(offset)) == .holdBack)
    }
    #expect(lines.takeHeldBack() == 4)
    #expect(lines.takeHeldBack() == 0)
    // Taken counts are not reported again with the next window's first line.
    #expect(lines.admit(at: start + .seconds(61)) == .write(heldBack: 0))
  }

  @Test func aWindowStartsAtItsFirstLineNotOnAFixedClock() {
    let lines = FailedCallLines(burst: 2, window: .seconds(10))
    #expect(lines.admit(at: start) == .write(heldBack: 0))
    // Long after: a new window from here, with its own burst.
    let later = start + .seconds(100)
    #expect(lines.admit(at: later) == .write(heldBack: 0))
    #expect(lines.admit(at: later + .seconds(9)) == .write(heldBack: 0))
    #expect(lines.admit(at: later + .seconds(9)) == .holdBack)
  }
}
