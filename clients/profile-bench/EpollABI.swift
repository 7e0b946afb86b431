internal import Glibc

/// The Linux epoll interface, found at run time in the C library.
///
/// Swift's `Glibc` module does not include `<sys/epoll.h>`, and this target may not add a C
/// module, so the three functions are looked up with `dlsym` and called through
/// `@convention(c)` pointers (the C calling convention, so the calls are exactly the C calls).
/// The constants and the layout of `struct epoll_event` are the kernel ABI from
/// `<sys/epoll.h>`, which is stable.
enum EpollABI {
  /// `EPOLLIN`: the descriptor can be read (or the peer closed).
  static let readable: UInt32 = 0x001
  /// `EPOLLOUT`: the descriptor can be written.
  static let writable: UInt32 = 0x004
  /// `EPOLLERR`: an error is pending; always reported.
  static let error: UInt32 = 0x008
  /// `EPOLLHUP`: both directions are closed; always reported.
  static let hangUp: UInt32 = 0x010

  /// `EPOLL_CTL_ADD`.
  static let add: Int32 = 1
  /// `EPOLL_CTL_DEL`.
  static let delete: Int32 = 2
  /// `EPOLL_CTL_MOD`.
  static let modify: Int32 = 3
  /// `EPOLL_CLOEXEC`, which the kernel defines as `O_CLOEXEC`.
  static let closeOnExec: Int32 = O_CLOEXEC

  #if arch(x86_64)
    /// Bytes between consecutive `struct epoll_event`s: the struct is packed on x86-64.
    static let eventStride = 12
    /// Offset of the 64-bit `data` member after the 32-bit `events` mask.
    static let dataOffset = 4
  #else
    /// Bytes between consecutive `struct epoll_event`s (naturally aligned outside x86-64).
    static let eventStride = 16
    /// Offset of the 64-bit `data` member after the 32-bit `events` mask and its padding.
    static let dataOffset = 8
  #endif

  /// `int epoll_create1(int flags)`.
  typealias Create1 = @convention(c) (Int32) -> Int32
  /// `int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)`.
  typealias Control = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
  /// `int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)`.
  typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

  /// `epoll_create1`, or nil if the C library lacks it.
  static let create1: Create1? = resolve("epoll_create1")
  /// `epoll_ctl`, or nil if the C library lacks it.
  static let control: Control? = resolve("epoll_ctl")
  /// `epoll_wait`, or nil if the C library lacks it.
  static let wait: Wait? = resolve("epoll_wait")

  /// Looks `name` up among the symbols already loaded (the C library always is).
  private static func resolve<Function>(_ name: String) -> Function? {
    guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, name) else {
      return nil
    }
    return unsafeBitCast(symbol, to: Function.self)
  }
}
