import Synchronization

/// The progress of the exports this server has queued or is building, and the `WatchExport`
/// streams following them.
///
/// An entry exists from when a job is queued until it ends; ending a job finishes its watchers'
/// streams, after its final status is in the database, so a watcher that sees its stream end
/// reads the final status.
final class ExportProgressBoard: Sendable {
  struct Progress: Sendable, Equatable {
    var daysDone: Int
    var daysTotal: Int
  }

  private struct Entry {
    var progress: Progress
    var watchers: [UInt64: AsyncStream<Progress>.Continuation] = [:]
  }

  private struct State {
    var entries: [String: Entry] = [:]
    var nextWatcher: UInt64 = 0
  }

  private let state = Mutex(State())

  /// Starts tracking a queued job.
  func track(_ id: String, daysTotal: Int) {
    state.withLock { state in
      if state.entries[id] == nil { state.entries[id] = Entry(progress: Progress(daysDone: 0, daysTotal: daysTotal)) }
    }
  }

  func update(_ id: String, daysDone: Int) {
    let (progress, watchers) = state.withLock { state -> (Progress?, [AsyncStream<Progress>.Continuation]) in
      guard state.entries[id] != nil else { return (nil, []) }
      state.entries[id]!.progress.daysDone = daysDone
      return (state.entries[id]!.progress, Array(state.entries[id]!.watchers.values))
    }
    guard let progress else { return }
    for watcher in watchers { watcher.yield(progress) }
  }

  /// Stops tracking a job and ends its watchers' streams.
  func finish(_ id: String) {
    let watchers = state.withLock { state in state.entries.removeValue(forKey: id).map { Array($0.watchers.values) } ?? [] }
    for watcher in watchers { watcher.finish() }
  }

  /// Ends every watcher's stream: the server is stopping.
  func finishAll() {
    let watchers = state.withLock { state -> [AsyncStream<Progress>.Continuation] in
      defer { state.entries.removeAll() }
      return state.entries.values.flatMap { $0.watchers.values }
    }
    for watcher in watchers { watcher.finish() }
  }

  /// A stream of the job's progress that starts with the current one and ends when the job
  /// does (only the newest progress waits for a slow reader); nil when the job is not tracked.
  /// Call ``stopWatching(_:token:)`` with the token when done.
  func watch(_ id: String) -> (stream: AsyncStream<Progress>, token: UInt64)? {
    let (stream, continuation) = AsyncStream<Progress>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let token = state.withLock { state -> UInt64? in
      guard let entry = state.entries[id] else { return nil }
      state.nextWatcher += 1
      state.entries[id]!.watchers[state.nextWatcher] = continuation
      continuation.yield(entry.progress)
      return state.nextWatcher
    }
    guard let token else { return nil }
    return (stream, token)
  }

  func stopWatching(_ id: String, token: UInt64) {
    let watcher = state.withLock { state in state.entries[id]?.watchers.removeValue(forKey: token) }
    watcher?.finish()
  }
}
