/// A read job: runs against a reader connection and resumes its caller.
typealias ReadRequest = @Sendable (Database) -> Void

/// A reader thread's loop over its own read-only connection.
// @unchecked Sendable: `connection` is used only by the reader thread, which `DatabasePool`
// starts right after creating this object and never touches the connection again; the queue is
// Sendable.
final class ReadWorker: @unchecked Sendable {
  private let connection: Database
  private let queue: JobQueue<ReadRequest>

  init(connection: Database, queue: JobQueue<ReadRequest>) {
    self.connection = connection
    self.queue = queue
  }

  /// Runs reads one at a time until the queue is closed and drained.
  func run() {
    while let jobs = queue.next(upTo: 1) {
      for job in jobs {
        job(connection)
      }
    }
    connection.close()
  }
}
