internal import CLinux

/// The epoll event bits the benchmark's raw baseline uses, from `<sys/epoll.h>` through the
/// `CLinux` system-library target.
enum EpollABI {
  /// `EPOLLIN`: the descriptor can be read (or the peer closed).
  static let readable = EPOLLIN.rawValue
  /// `EPOLLOUT`: the descriptor can be written.
  static let writable = EPOLLOUT.rawValue
  /// `EPOLLERR`: an error is pending; always reported.
  static let error = EPOLLERR.rawValue
  /// `EPOLLHUP`: both directions are closed; always reported.
  static let hangUp = EPOLLHUP.rawValue
}
