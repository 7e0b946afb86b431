internal import Synchronization

/// The writer: owns the read-write connection and turns queued writes into group commits.
///
/// Each batch is every queued write up to the size limit. It runs as one `BEGIN IMMEDIATE`
/// transaction in which each write has its own savepoint, so a write that throws undoes only its
/// own changes; then one `COMMIT`, and every caller hears its own outcome once the commit is
/// synced: by SQLite inside `COMMIT`, or, with a ``WALSyncer``, by its thread while this one
/// runs the next batch.
// @unchecked Sendable: `connection` is used only by the writer thread, which `DatabasePool`
// starts right after creating this object and never touches the connection again; the other
// stored properties are Sendable.
final class BatchWriter: @unchecked Sendable {
  private let connection: Database
  private let queue: JobQueue<WriteRequest>
  private let maxBatchSize: Int
  private let syncer: WALSyncer?
  private let counters = Mutex(DatabasePool.Statistics())

  init(connection: Database, queue: JobQueue<WriteRequest>, maxBatchSize: Int, syncer: WALSyncer?) {
    self.connection = connection
    self.queue = queue
    self.maxBatchSize = maxBatchSize
    self.syncer = syncer
  }

  var statistics: DatabasePool.Statistics {
    counters.withLock { $0 }
  }

  /// The writer thread's loop: runs batches until the queue is closed and drained.
  func run() {
    while let batch = queue.next(upTo: maxBatchSize) {
      perform(batch)
    }
    syncer?.close()
    connection.close()
  }

  private func perform(_ batch: [WriteRequest]) {
    // Callers are resumed after the counters are updated, so a caller sees its own write counted,
    // and, with a syncer, after the sync of every commit so far: even a failed write's answer
    // may rest on what it read from an earlier commit. A delivery gets the sync's error.
    var deliveries: [@Sendable ((any Error)?) -> Void] = []
    var commits = 0
    var failures = 0
    var remaining = batch[...]
    while !remaining.isEmpty {
      // Leftovers of a failed COMMIT would make BEGIN fail for every later batch.
      connection.rollback()
      do {
        try connection.begin(.immediate)
      } catch {
        failures += remaining.count
        for request in remaining {
          deliveries.append { _ in request.fail(error) }
        }
        break
      }
      var awaitingCommit: [WriteRequest.Outcome] = []
      var lostTransaction: (any Error)?
      while let request = remaining.popFirst() {
        let error = run(request, awaitingCommit: &awaitingCommit, deliveries: &deliveries)
        if error != nil {
          failures += 1
        }
        // Some errors (SQLITE_FULL, SQLITE_IOERR...) make SQLite roll back the whole transaction.
        if !connection.isInsideTransaction {
          lostTransaction = Self.transactionLostError(cause: error)
          break
        }
      }
      var transactionError = lostTransaction
      if transactionError == nil {
        syncer?.commitBegins()
        do {
          try connection.commit()
          commits += 1
        } catch {
          connection.rollback()
          transactionError = error
        }
        syncer?.commitEnded()
      }
      if transactionError != nil {
        failures += awaitingCommit.count
      }
      let outcomeError = transactionError
      for outcome in awaitingCommit {
        deliveries.append { syncError in outcome.resume(outcomeError ?? syncError) }
      }
      // The remaining writes, if the transaction was lost, go in a new one.
    }
    counters.withLock { statistics in
      statistics.commits += commits
      statistics.writes += batch.count
      statistics.failedWrites += failures
      statistics.largestBatch = max(statistics.largestBatch, batch.count)
    }
    guard let syncer else {
      for deliver in deliveries {
        deliver(nil)
      }
      return
    }
    let ready = deliveries
    syncer.afterSync { syncError in
      for deliver in ready {
        deliver(syncError)
      }
    }
  }

  /// Runs one write in its savepoint; returns the error that failed it, if any.
  private func run(
    _ request: WriteRequest,
    awaitingCommit: inout [WriteRequest.Outcome],
    deliveries: inout [@Sendable ((any Error)?) -> Void]
  ) -> (any Error)? {
    let savepoint = Database.writeSavepointName
    do {
      try connection.executeEngineStatement(Database.openWriteSavepoint)
    } catch {
      deliveries.append { _ in request.fail(error) }
      return error
    }
    let outcome = connection.withTransactionControlLocked { request.perform(connection) }
    if let bodyError = outcome.bodyError {
      connection.rollbackAndRelease(savepoint: savepoint)
      deliveries.append { _ in outcome.resume(nil) }
      return bodyError
    }
    // No reset of busy statements first: every statement of the store's API is reset after use,
    // RELEASE of a savepoint nested in the batch's transaction does not mind one that is not,
    // and the batch's COMMIT resets any left over (a walk over all prepared statements, once
    // per batch instead of once per write).
    do {
      try connection.executeEngineStatement(Database.releaseWriteSavepoint)
    } catch {
      connection.rollbackAndRelease(savepoint: savepoint)
      deliveries.append { _ in outcome.resume(error) }
      return error
    }
    awaitingCommit.append(outcome)
    return nil
  }

  private static func transactionLostError(cause: (any Error)?) -> DatabaseError {
    let explanation = "SQLite rolled back the batch transaction"
    guard let cause else {
      return DatabaseError(resultCode: DatabaseError.abort, message: explanation)
    }
    let code = (cause as? DatabaseError)?.extendedResultCode ?? DatabaseError.abort
    return DatabaseError(
      resultCode: code, message: "\(explanation) after another write in it failed: \(cause)")
  }
}
