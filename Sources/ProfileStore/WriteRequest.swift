/// A caller's write body with its continuation, type-erased for the writer's queue.
///
/// The writer runs ``perform`` inside the request's savepoint. The returned ``Outcome`` says
/// whether the body threw, and resumes the caller once the fate of the transaction is known, so a
/// successful caller hears back only after its data is committed and synced.
struct WriteRequest: Sendable {
  struct Outcome {
    /// What the body threw; its savepoint must be rolled back.
    let bodyError: (any Error)?

    /// Resumes the caller exactly once: with the body's result when `transactionError` is nil,
    /// otherwise with that error. A body that threw always resumes with its own error.
    let resume: @Sendable (_ transactionError: (any Error)?) -> Void
  }

  /// Runs the body; must be called at most once, and then `resume` of its outcome exactly once.
  let perform: @Sendable (Database) -> Outcome

  /// Fails the caller without running the body; the alternative to ``perform``.
  let fail: @Sendable (any Error) -> Void

  init<T: Sendable>(
    body: @escaping @Sendable (Database) throws -> T,
    continuation: CheckedContinuation<T, any Error>
  ) {
    perform = { db in
      do {
        let value = try body(db)
        return Outcome(bodyError: nil) { transactionError in
          if let transactionError {
            continuation.resume(throwing: transactionError)
          } else {
            continuation.resume(returning: value)
          }
        }
      } catch {
        return Outcome(bodyError: error) { _ in continuation.resume(throwing: error) }
      }
    }
    fail = { error in continuation.resume(throwing: error) }
  }
}
