internal import Dispatch
internal import Glibc

/// Turns SIGTERM and SIGINT into an async sequence instead of the default of dying at once, so
/// a server can drain before it exits.
///
/// The handlers are built here, outside the main actor: a closure written in an executable's
/// top-level code is main-actor isolated, and Dispatch runs signal handlers on its own threads.
public enum ShutdownSignals {
  /// SIGTERM and SIGINT, in arrival order, as their numbers. Call once per process; the
  /// signal sources live as long as the process.
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
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { continuation.yield(number) }
      source.resume()
      retained.append(source)
    }
    return stream
  }

  // nonisolated(unsafe): written only by `watch`, called once per process at startup before
  // any signal can arrive; it only keeps the sources alive.
  nonisolated(unsafe) private static var retained: [any DispatchSourceSignal] = []
}
