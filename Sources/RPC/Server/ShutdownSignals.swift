internal import Foundation
internal import CLinux
internal import Glibc

/// Turns SIGTERM and SIGINT into an async sequence instead of the default of dying at once, so
/// a server can drain before it exits.
///
/// A signal handler writes the signal's number to a pipe (`write` is async-signal-safe) and a
/// thread of its own reads the pipe. The handler runs on whichever thread the kernel picks, so
/// no thread has to block the signals: a Dispatch signal source needs them blocked in every
/// thread, which threads started earlier do not do, and a SIGTERM the kernel gave one of those
/// was lost.
public enum ShutdownSignals {
  /// SIGTERM and SIGINT, in arrival order, as their numbers. Call once per process; the handlers
  /// and the reading thread live as long as the process. If the process cannot make a pipe (out
  /// of descriptors), the signals keep their default of ending the process at once.
  public static func stream() -> AsyncStream<Int32> {
    watch([SIGTERM, SIGINT])
  }

  /// The name of a signal number from ``stream()``.
  public static func name(of signal: Int32) -> String {
    switch signal {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    default: "signal \(signal)"
    }
  }

  private static func watch(_ signals: [Int32]) -> AsyncStream<Int32> {
    let (stream, continuation) = AsyncStream<Int32>.makeStream()
    guard let readEnd = pipeEnds?.read else { return stream }
    let thread = Thread {
      _ = clinux_name_this_thread("shutdown-sig")
      var number: UInt8 = 0
      while true {
        let count = read(readEnd, &number, 1)
        if count == 1 {
          continuation.yield(Int32(number))
        } else if count < 0 && errno == EINTR {
          continue
        } else {
          continuation.finish()
          return
        }
      }
    }
    thread.start()
    for number in signals {
      signal(number) { number in
        // Async-signal-safe only: no allocation, no locks; a full pipe drops the signal, and
        // one already queued is enough to stop. errno is the interrupted code's, so it is kept.
        let savedErrno = errno
        defer { errno = savedErrno }
        var byte = UInt8(truncatingIfNeeded: number)
        guard let writeEnd = ShutdownSignals.pipeEnds?.write else { return }
        _ = write(writeEnd, &byte, 1)
      }
    }
    return stream
  }

  /// The pipe from the handlers to the reading thread, made before any handler is installed.
  /// The write end is non-blocking, so a handler never waits.
  private static let pipeEnds: (read: Int32, write: Int32)? = {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { return nil }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
    return (ends[0], ends[1])
  }()
}
