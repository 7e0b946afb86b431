internal import Dispatch
internal import Synchronization

#if canImport(Glibc)
  internal import Glibc
#endif

/// Makes the writer's commits durable on a thread of its own, so the writer runs the next
/// transactions while the previous ones reach the disk.
///
/// With ``DatabasePool/SyncMode/pipelined`` the writer connection runs with
/// `synchronous=NORMAL`: its `COMMIT` writes the transaction's frames to the WAL file without
/// syncing them. This thread then calls `fdatasync` on the WAL file and only afterwards resumes
/// the callers of those commits, so an acknowledged write is on disk exactly as with
/// `synchronous=FULL`. One `fdatasync` covers every commit that ended before it began: while it
/// runs, the writer commits more, and the next one covers them all.
///
/// A reader can see a commit before it is synced. ``afterSync(_:)`` holds back an answer until
/// every commit that had begun by then is synced, so no caller learns of a write that a power
/// loss could still undo. A failed `fdatasync` fails every answer waiting for it and every later
/// one: the WAL's state on disk is unknown, and only a restart (which recovers the WAL) tells.
final class WALSyncer: Sendable {
  /// An answer held back until commit number `commit` is synced; called with the sync's error.
  private struct Waiter {
    let commit: Int
    let resume: @Sendable ((any Error)?) -> Void
  }

  private struct State {
    /// Commits whose `COMMIT` began: readers may see any of them.
    var begun = 0
    /// Commits whose `COMMIT` returned, successfully or not: their frames are in the file.
    var ended = 0
    /// Commits known to be on disk.
    var synced = 0
    /// Held-back answers, in ascending `commit` order (each takes `begun` under the lock).
    var waiters: [Waiter] = []
    /// Set by ``close()``: the thread syncs what has ended, then exits.
    var closing = false
    /// The first `fdatasync` failure; every answer after it fails with it.
    var failure: DatabaseError?
    /// The thread sleeps on `wakeUp`, owed one signal.
    var sleeping = false
  }

  private let walPath: String
  private let descriptor: Int32
  private let state = Mutex(State())
  private let wakeUp = DispatchSemaphore(value: 0)
  /// Called on the syncing thread before each `fdatasync` (tests hold syncs back with it, or
  /// fail them by throwing).
  private let beforeSync: (@Sendable () throws -> Void)?
  private let syncCount = Atomic<Int>(0)
  /// Told of the first failed sync, once.
  private let onFailure: (@Sendable (DatabaseError) -> Void)?

  /// Opens the WAL file of the database at `databasePath`, which must exist: the writer
  /// connection creates it once it is in WAL mode and has read the database.
  init(
    databasePath: String, beforeSync: (@Sendable () throws -> Void)?,
    onFailure: (@Sendable (DatabaseError) -> Void)?
  ) throws {
    walPath = databasePath + "-wal"
    descriptor = open(walPath, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      throw DatabaseError(
        resultCode: DatabaseError.cannotOpen,
        message: "cannot open the WAL file \(walPath) to sync it: \(reason)")
    }
    self.beforeSync = beforeSync
    self.onFailure = onFailure
  }

  /// The `fdatasync` calls made so far.
  var syncs: Int { syncCount.load(ordering: .relaxed) }

  /// Called by the writer right before `COMMIT`: from now on readers may see this commit.
  func commitBegins() {
    state.withLock { $0.begun += 1 }
  }

  /// Called by the writer once `COMMIT` returned, whether it succeeded or failed.
  func commitEnded() {
    let wake = state.withLock { state -> Bool in
      state.ended += 1
      guard state.sleeping else { return false }
      state.sleeping = false
      return true
    }
    if wake {
      wakeUp.signal()
    }
  }

  /// Runs `resume` once every commit that has begun by now is synced: at once when they are,
  /// otherwise on the syncing thread. `resume` gets the sync's error when it failed.
  func afterSync(_ resume: @escaping @Sendable ((any Error)?) -> Void) {
    let immediate = state.withLock { state -> (any Error)?? in
      if let failure = state.failure {
        return .some(failure)
      }
      if state.synced >= state.begun {
        return .some(nil)
      }
      state.waiters.append(Waiter(commit: state.begun, resume: resume))
      return .none
    }
    if let immediate {
      resume(immediate)
    }
  }

  /// Lets the thread sync what has ended and exit; called by the writer after its last commit.
  func close() {
    let wake = state.withLock { state -> Bool in
      state.closing = true
      guard state.sleeping else { return false }
      state.sleeping = false
      return true
    }
    if wake {
      wakeUp.signal()
    }
  }

  /// The syncing thread's loop: returns after ``close()`` once every ended commit is synced and
  /// every held-back answer is delivered.
  func run() {
    while true {
      enum Step {
        case sync(upTo: Int)
        case sleep
        case exit
      }
      let step = state.withLock { state -> Step in
        if state.ended > state.synced, state.failure == nil {
          return .sync(upTo: state.ended)
        }
        if state.closing {
          return .exit
        }
        state.sleeping = true
        return .sleep
      }
      switch step {
      case .sleep:
        wakeUp.wait()
      case .exit:
        failRemainingWaiters()
        _ = Glibc.close(descriptor)
        return
      case .sync(let target):
        let failure: DatabaseError?
        do {
          try beforeSync?()
          failure = fdatasync(descriptor) == 0 ? nil : syncError(String(cString: strerror(errno)))
        } catch {
          failure = syncError(String(describing: error))
        }
        syncCount.add(1, ordering: .relaxed)
        var firstFailure: DatabaseError?
        let released = state.withLock { state -> [Waiter] in
          if let failure, state.failure == nil {
            state.failure = failure
            firstFailure = failure
          }
          if state.failure == nil {
            state.synced = target
          }
          let ready = state.failure == nil
            ? state.waiters.prefix { $0.commit <= target }.count : state.waiters.count
          defer { state.waiters.removeFirst(ready) }
          return Array(state.waiters.prefix(ready))
        }
        if let firstFailure {
          onFailure?(firstFailure)
        }
        let error = failure
        for waiter in released {
          waiter.resume(error)
        }
      }
    }
  }

  /// Answers still held back when the thread exits (only after a failed sync, since the writer
  /// ends every commit before ``close()``) get an error: their commits are not known synced.
  private func failRemainingWaiters() {
    let (waiters, failure) = state.withLock { state in
      defer { state.waiters.removeAll() }
      return (state.waiters, state.failure)
    }
    let error =
      failure
      ?? DatabaseError(
        resultCode: DatabaseError.misuse, message: "the WAL syncer of \(walPath) stopped before a sync")
    for waiter in waiters {
      waiter.resume(error)
    }
  }

  private func syncError(_ reason: String) -> DatabaseError {
    // SQLITE_IOERR_FSYNC: what SQLite itself reports when its own sync fails.
    DatabaseError(
      resultCode: ResultCode(rawValue: 1034),
      message: "fdatasync of \(walPath) failed: \(reason); "
        + "writes not yet acknowledged may be lost, restart the server")
  }
}
