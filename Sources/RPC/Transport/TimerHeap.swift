/// A min-heap of deadlines with cancellation, for an event loop's timers.
///
/// Cancelled timers are dropped lazily when they reach the top, and the heap is rebuilt when
/// more than half its entries are cancelled, so a stream of short calls with long timeouts does
/// not grow it without bound.
package struct TimerHeap: Sendable {
  package typealias ID = UInt64

  private struct Entry: Sendable {
    var deadline: ContinuousClock.Instant
    var id: ID
    var action: @Sendable () -> Void
  }

  private var entries: [Entry] = []
  private var live: Set<ID> = []
  private var nextID: ID = 1

  package init() {}

  /// Timers not yet fired or cancelled.
  package var count: Int { live.count }

  /// The earliest live deadline.
  package var earliest: ContinuousClock.Instant? {
    mutating get {
      dropCancelledTop()
      return entries.first?.deadline
    }
  }

  package mutating func insert(
    deadline: ContinuousClock.Instant, action: @escaping @Sendable () -> Void
  ) -> ID {
    let id = nextID
    nextID += 1
    entries.append(Entry(deadline: deadline, id: id, action: action))
    live.insert(id)
    siftUp(entries.count - 1)
    return id
  }

  package mutating func cancel(_ id: ID) {
    guard live.remove(id) != nil else { return }
    if entries.count > 64 && live.count < entries.count / 2 { rebuild() }
  }

  /// Removes and returns the actions of every live timer due at `now`.
  package mutating func popDue(now: ContinuousClock.Instant) -> [@Sendable () -> Void] {
    var due: [@Sendable () -> Void] = []
    while let top = entries.first, top.deadline <= now {
      removeTop()
      if live.remove(top.id) != nil { due.append(top.action) }
    }
    return due
  }

  private mutating func dropCancelledTop() {
    while let top = entries.first, !live.contains(top.id) { removeTop() }
  }

  private mutating func rebuild() {
    entries.removeAll { !live.contains($0.id) }
    var index = entries.count / 2 - 1
    while index >= 0 {
      siftDown(index)
      index -= 1
    }
  }

  private mutating func removeTop() {
    let last = entries.removeLast()
    if !entries.isEmpty {
      entries[0] = last
      siftDown(0)
    }
  }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard entries[child].deadline < entries[parent].deadline else { return }
      entries.swapAt(child, parent)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < entries.count && entries[left].deadline < entries[smallest].deadline {
        smallest = left
      }
      if right < entries.count && entries[right].deadline < entries[smallest].deadline {
        smallest = right
      }
      if smallest == parent { return }
      entries.swapAt(parent, smallest)
      parent = smallest
    }
  }
}
