internal import Foundation
import Synchronization

/// Reads one of a child's output pipes to its end on a thread of its own, so the child never
/// blocks on a full pipe (64 KiB) and the tests never block the cooperative pool reading.
public final class OutputCollector: Sendable {
  private struct State {
    var bytes: [UInt8] = []
    var ended = false
  }

  private let state = Mutex(State())

  /// Starts reading `descriptor`, a pipe end that `process` owns (and keeps open while this
  /// reads, because the reading thread holds on to it).
  public init(_ descriptor: Int32, of process: Subprocess) {
    Thread { [self] in
      while true {
        let chunk = PipeReader.readSome(descriptor)
        if chunk.isEmpty { break }
        state.withLock { $0.bytes += chunk }
      }
      withExtendedLifetime(process) {}
      state.withLock { $0.ended = true }
    }.start()
  }

  /// Everything read so far, as UTF-8 text.
  public var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }

  /// True once the pipe reached end of file: every process holding its write end closed it.
  public var ended: Bool { state.withLock { $0.ended } }
}
