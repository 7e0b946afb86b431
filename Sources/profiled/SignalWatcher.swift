import Dispatch
import Glibc

/// Turns SIGTERM and SIGINT into an async sequence, instead of the default of dying at once.
///
/// The handlers are built outside the main actor: a closure written in top-level code is
/// main-actor isolated, and Dispatch runs signal handlers on its own threads.
enum SignalWatcher {
  /// The signals, in arrival order. The sources live as long as the process.
  static func watch(_ signals: [Int32]) -> AsyncStream<Int32> {
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

  // nonisolated(unsafe): written only by `watch`, which main calls once before anything else
  // runs; it only keeps the sources alive.
  nonisolated(unsafe) private static var retained: [any DispatchSourceSignal] = []
}
