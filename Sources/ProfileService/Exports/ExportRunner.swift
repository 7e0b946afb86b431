import Foundation
import ProfileAPI
import ProfileStore
import Synchronization

/// The bounded pool that builds chart-data exports in the background, and the housekeeping of
/// their files.
///
/// One dispatcher task takes queued job ids in order and runs at most
/// ``ServiceConfiguration/exportWorkers`` of them at once in a task group. At start it first
/// recovers what a previous run left: ready exports past their 24 hours expire, jobs still in
/// progress are queued again (built from scratch, with a fresh budget) unless they were started
/// ``maximumAttempts`` times already, which ends them FAILED, and stray files are deleted.
/// ``stop()`` cancels the workers: a job cut short stays in progress in the database and is
/// resumed at the next start.
final class ExportRunner: Sendable {
  /// Starts of one job (each interrupted by a stop) before a starting server gives up on it.
  static let maximumAttempts = 3
  /// Days aggregated per database read; progress is reported after each read.
  static let chunkDays: Int64 = 7
  /// How long a ready export stays downloadable.
  static let downloadLifetime: TimeInterval = 24 * 3600
  /// How often expired files are deleted when nobody asks.
  static let sweepInterval: Duration = .seconds(600)
  /// Waits before each new try of a write that records a job's state (recovery, start, end):
  /// one failed write (disk full, an I/O error) would otherwise leave jobs in progress, counted
  /// against the limits and watched forever, until the next restart. About 23 s in all.
  static let bookkeepingRetryDelays: [Duration] = [
    .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(5), .seconds(15),
  ]

  let environment: ServiceEnvironment
  let files: ExportFiles
  let board = ExportProgressBoard()
  private let width: Int
  private let budget: Duration
  private let queue: AsyncStream<String>
  private let queueInput: AsyncStream<String>.Continuation
  /// Ids queued or being built, so recovery and a new start never queue one twice.
  private let known = Mutex<Set<String>>([])
  private let task = Mutex<Task<Void, Never>?>(nil)
  /// Recovering the previous run's jobs; methods that look at jobs in progress wait for it.
  private let recovery = Mutex<Task<Void, Never>?>(nil)

  init(environment: ServiceEnvironment) throws {
    self.environment = environment
    files = ExportFiles(dataDirectory: environment.configuration.dataDirectory)
    try files.prepare()
    width = max(0, environment.configuration.exportWorkers)
    budget = environment.configuration.exportTimeBudget
    (queue, queueInput) = AsyncStream<String>.makeStream()
  }

  /// Recovers the previous run's jobs, then builds queued ones until ``stop()``.
  func start() {
    task.withLock { task in
      guard task == nil else { return }
      let recovering = Task { [self] in
        do {
          try await recover()
        } catch {
          // Tried ``bookkeepingRetryDelays`` times, or the server is stopping: the database is
          // closing or broken, and jobs stay in progress for the next start.
          if !Task.isCancelled { report("export recovery", error) }
        }
      }
      recovery.withLock { $0 = recovering }
      task = Task { [self] in
        await withTaskGroup(of: Void.self) { group in
          group.addTask {
            await recovering.value
            await self.dispatch()
          }
          group.addTask { await self.sweepPeriodically() }
        }
      }
    }
  }

  /// Returns once the previous run's jobs are recovered (queued again or failed), so a job in
  /// progress is either being built or queued.
  func recovered() async {
    await recovery.withLock { $0 }?.value
  }

  /// Stops taking jobs, cancels the ones being built and waits for them to stop.
  func stop() async {
    queueInput.finish()
    let recovering = recovery.withLock { $0 }
    recovering?.cancel()
    await recovering?.value
    let running = task.withLock { $0 }
    running?.cancel()
    await running?.value
    board.finishAll()
  }

  /// Queues a job, unless it is queued or running already.
  func enqueue(_ id: String, daysTotal: Int) {
    guard known.withLock({ $0.insert(id).inserted }) else { return }
    board.track(id, daysTotal: daysTotal)
    queueInput.yield(id)
  }

  /// Marks ready exports whose download expired and deletes their files.
  func sweepExpired() async throws {
    let cutoff = environment.now().addingTimeInterval(-Self.downloadLifetime)
    let expired = try await environment.database.write { db in try db.expireExports(finishedBefore: cutoff) }
    for id in expired { files.remove(id) }
  }

  /// The number of days an export covers, both ends included.
  static func dayCount(_ job: ExportRecord) -> Int {
    guard let from = ExportDay(job.fromDay), let to = ExportDay(job.toDay) else { return 0 }
    return Int(to.number - from.number + 1)
  }

  private func dispatch() async {
    guard width > 0, !Task.isCancelled else { return }
    let width = width
    await withTaskGroup(of: Void.self) { group in
      var running = 0
      for await id in queue {
        if running >= width {
          await group.next()
          running -= 1
        }
        group.addTask { await self.run(id) }
        running += 1
      }
    }
  }

  private func recover() async throws {
    let now = environment.now()
    let cutoff = now.addingTimeInterval(-Self.downloadLifetime)
    let (expired, resumable, ready) = try await bookkeeping("recover") { db in
      let expired = try db.expireExports(finishedBefore: cutoff)
      var resumable: [ExportRecord] = []
      for job in try db.inProgressExports() {
        if job.attempts >= Self.maximumAttempts {
          try db.finishExport(
            id: job.id, status: Exports.Status.failed.rawValue, finishedAt: now,
            message: "the server stopped while building it \(job.attempts) times; start a new export")
        } else {
          resumable.append(job)
        }
      }
      return (expired, resumable, try db.readyExportIDs())
    }
    for id in expired { files.remove(id) }
    files.removeAll(except: ready)
    for job in resumable { enqueue(job.id, daysTotal: Self.dayCount(job)) }
  }

  private func sweepPeriodically() async {
    while !Task.isCancelled {
      do {
        try await Task.sleep(for: Self.sweepInterval)
        try await sweepExpired()
      } catch {
        if Task.isCancelled { return }
        report("export sweep", error)
      }
    }
  }

  /// Builds one job and records how it ended; a cancelled build (the server stopping) records
  /// nothing, so the job is resumed at the next start.
  private func run(_ id: String) async {
    defer { _ = known.withLock { $0.remove(id) } }
    let deadline = ContinuousClock.now.advanced(by: budget)
    let job: ExportRecord
    do {
      guard let started = try await bookkeeping("start", { db in try db.startExportAttempt(id: id) }) else {
        board.finish(id)
        return
      }
      job = started
    } catch {
      if !Task.isCancelled { report("export \(id) start", error) }
      board.finish(id)
      return
    }
    let outcome: (status: Exports.Status, size: Int64?, sha256: String?, message: String?)
    do {
      if let built = try await build(job, deadline: deadline) {
        try files.publish(id)
        outcome = (.ready, built.size, built.sha256, nil)
      } else {
        files.remove(id)
        outcome = (.timedOut, nil, nil, "it ran past the time budget of \(budget); try a shorter range")
      }
    } catch {
      files.remove(id)
      if Task.isCancelled { return }
      report("export \(id) build", error)
      outcome = (.failed, nil, nil, "it could not be built (the server logged why under its id); start a new export")
    }
    let finishedAt = environment.now()
    let recorded: Bool?
    do {
      recorded = try await bookkeeping("finish") { db in
        try db.finishExport(
          id: id, status: outcome.status.rawValue, finishedAt: finishedAt, size: outcome.size,
          sha256: outcome.sha256, message: outcome.message)
      }
    } catch {
      if !Task.isCancelled { report("export \(id) finish", error) }
      recorded = nil
    }
    // The row is gone (its account or organization was deleted meanwhile) or could not be
    // updated after every retry: no one may download the file, so it goes now. A job whose
    // update failed is still in progress and is built again at the next start.
    if recorded != true {
      files.remove(id)
    }
    board.finish(id)
  }

  /// Tells ``ServiceConfiguration/onBackgroundFailure`` that `work` failed with `error`.
  private func report(_ work: String, _ error: any Error) {
    environment.configuration.onBackgroundFailure?(work, String(describing: error))
  }

  /// Runs a write that records job state, trying again after each of
  /// ``bookkeepingRetryDelays`` when it fails; throws the last error, or `CancellationError`
  /// once the runner is stopping. A failed write changed nothing, so trying again is safe.
  private func bookkeeping<T: Sendable>(
    _ step: String, _ body: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    var delays = Self.bookkeepingRetryDelays[...]
    while true {
      do {
        try environment.configuration.beforeExportWrite?(step)
        return try await environment.database.write(body)
      } catch {
        guard let delay = delays.popFirst(), !Task.isCancelled else { throw error }
        try await Task.sleep(for: delay)
      }
    }
  }
}
