import RPC
import Synchronization
import Testing

@Suite struct TimerHeapTests {
  @Test func firesDueTimersInDeadlineOrderAndSkipsCancelled() {
    var heap = TimerHeap()
    let fired = Mutex<[Int]>([])
    let base = ContinuousClock.now
    var ids: [TimerHeap.ID] = []
    for offset in [5, 1, 4, 2, 3] {
      ids.append(heap.insert(deadline: base + .milliseconds(offset)) { fired.withLock { $0.append(offset) } })
    }
    heap.cancel(ids[2])  // the 4 ms timer
    #expect(heap.earliest == base + .milliseconds(1))
    for action in heap.popDue(now: base + .milliseconds(3)) { action() }
    #expect(fired.withLock { $0 } == [1, 2, 3])
    for action in heap.popDue(now: base + .milliseconds(10)) { action() }
    #expect(fired.withLock { $0 } == [1, 2, 3, 5])
    #expect(heap.count == 0)
    #expect(heap.earliest == nil)
  }

  @Test func cancellingMostTimersKeepsTheHeapSmall() {
    var heap = TimerHeap()
    let base = ContinuousClock.now
    for index in 0..<10_000 {
      let id = heap.insert(deadline: base + .seconds(5) + .microseconds(index)) {}
      if index % 100 != 0 { heap.cancel(id) }
    }
    #expect(heap.count == 100)
    #expect(heap.popDue(now: base + .seconds(6)).count == 100)
  }
}
