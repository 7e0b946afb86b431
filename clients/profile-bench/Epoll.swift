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
  private let events: UnsafeMutableRawPointer
  private let control: EpollABI.Control
  private let waitFunction: EpollABI.Wait

  /// Creates the instance; throws if epoll is unavailable or `epoll_create1` fails.
  init(capacity: Int) throws {
    guard let create1 = EpollABI.create1, let control = EpollABI.control,
      let wait = EpollABI.wait
    else {
      throw BenchError.systemCall("dlsym", "epoll_create1/epoll_ctl/epoll_wait", code: ENOSYS)
    }
    let descriptor = create1(EpollABI.closeOnExec)
    guard descriptor >= 0 else { throw BenchError.systemCall("epoll_create1", code: errno) }
    self.descriptor = descriptor
    self.capacity = max(1, capacity)
    self.control = control
    self.waitFunction = wait
    self.events = UnsafeMutableRawPointer.allocate(
      byteCount: self.capacity * EpollABI.eventStride, alignment: 8)
  }

  deinit {
    events.deallocate()
    close(descriptor)
  }

  /// Starts watching `fd` for `interest` (a mask of `EpollABI` flags).
  func add(_ fd: Int32, interest: UInt32, token: UInt64) throws {
    try change(EpollABI.add, "EPOLL_CTL_ADD", fd, interest: interest, token: token)
  }

  /// Replaces the interest mask of a watched `fd`.
  func modify(_ fd: Int32, interest: UInt32, token: UInt64) throws {
    try change(EpollABI.modify, "EPOLL_CTL_MOD", fd, interest: interest, token: token)
  }

  private func change(
    _ operation: Int32, _ name: String, _ fd: Int32, interest: UInt32, token: UInt64
  ) throws {
    var event = (UInt64(0), UInt64(0))  // 16 zeroed bytes, enough for either layout
    let result = withUnsafeMutableBytes(of: &event) { bytes -> Int32 in
      bytes.storeBytes(of: interest, toByteOffset: 0, as: UInt32.self)
      bytes.storeBytes(of: token, toByteOffset: EpollABI.dataOffset, as: UInt64.self)
      return control(descriptor, operation, fd, bytes.baseAddress)
    }
    guard result == 0 else {
      throw BenchError.systemCall("epoll_ctl", "\(name), fd \(fd)", code: errno)
    }
  }

  /// Waits up to `timeoutMilliseconds` (-1: forever) and returns how many events are ready;
  /// an interrupted wait (`EINTR`) returns 0.
  func wait(timeoutMilliseconds: Int32) throws -> Int {
    let count = waitFunction(descriptor, events, Int32(capacity), timeoutMilliseconds)
    if count >= 0 { return Int(count) }
    let code = errno
    if code == EINTR { return 0 }
    throw BenchError.systemCall("epoll_wait", code: code)
  }

  /// The token and the ready mask of event `index` from the last `wait`.
  func event(at index: Int) -> (token: UInt64, events: UInt32) {
    precondition(index >= 0 && index < capacity)
    let base = events + index * EpollABI.eventStride
    let mask = base.loadUnaligned(as: UInt32.self)
    let token = (base + EpollABI.dataOffset).loadUnaligned(as: UInt64.self)
    return (token, mask)
  }
}
