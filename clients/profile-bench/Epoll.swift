internal import CLinux
internal import Glibc

/// One epoll instance, used by one thread, level-triggered.
///
/// Each registration carries a caller-chosen 64-bit token (an index or a descriptor) that
/// `event(at:)` hands back. The instance's descriptor is closed on deinit; closing a registered
/// descriptor removes it from the interest list, so connections need no explicit `remove`.
final class Epoll {
  /// The epoll descriptor.
  let descriptor: Int32
  /// How many events one `wait` can return.
  let capacity: Int
  private var events: [epoll_event]

  /// Creates the instance; throws if `epoll_create1` fails.
  init(capacity: Int) throws {
    let descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
    guard descriptor >= 0 else { throw BenchError.systemCall("epoll_create1", code: errno) }
    self.descriptor = descriptor
    self.capacity = max(1, capacity)
    self.events = [epoll_event](repeating: epoll_event(), count: self.capacity)
  }

  deinit {
    close(descriptor)
  }

  /// Starts watching `fd` for `interest` (a mask of `EpollABI` flags).
  func add(_ fd: Int32, interest: UInt32, token: UInt64) throws {
    try change(EPOLL_CTL_ADD, "EPOLL_CTL_ADD", fd, interest: interest, token: token)
  }

  /// Replaces the interest mask of a watched `fd`.
  func modify(_ fd: Int32, interest: UInt32, token: UInt64) throws {
    try change(EPOLL_CTL_MOD, "EPOLL_CTL_MOD", fd, interest: interest, token: token)
  }

  private func change(
    _ operation: Int32, _ name: String, _ fd: Int32, interest: UInt32, token: UInt64
  ) throws {
    var event = epoll_event()
    event.events = interest
    event.data.u64 = token
    guard epoll_ctl(descriptor, operation, fd, &event) == 0 else {
      throw BenchError.systemCall("epoll_ctl", "\(name), fd \(fd)", code: errno)
    }
  }

  /// Waits up to `timeoutMilliseconds` (-1: forever) and returns how many events are ready;
  /// an interrupted wait (`EINTR`) returns 0.
  func wait(timeoutMilliseconds: Int32) throws -> Int {
    let count = events.withUnsafeMutableBufferPointer {
      epoll_wait(descriptor, $0.baseAddress, Int32(capacity), timeoutMilliseconds)
    }
    if count >= 0 { return Int(count) }
    let code = errno
    if code == EINTR { return 0 }
    throw BenchError.systemCall("epoll_wait", code: code)
  }

  /// The token and the ready mask of event `index` from the last `wait`.
  func event(at index: Int) -> (token: UInt64, events: UInt32) {
    precondition(index >= 0 && index < capacity)
    return (events[index].data.u64, events[index].events)
  }
}
