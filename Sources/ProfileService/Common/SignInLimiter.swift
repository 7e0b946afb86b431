import Foundation
import ProfileStore
import RPC
import Synchronization

/// The limit on failed attempts to prove who one is, per account: wrong passwords (at sign-in
/// and where a change asks for the current one), wrong second-factor codes, and wrong reset,
/// email and phone codes all count together, so no secret can be guessed more often than a
/// password, and asking for a new code buys no more guesses.
struct SignInLimiter {
  let limit: Int
  let window: TimeInterval

  init(configuration: ServiceConfiguration) {
    limit = configuration.maxFailedSignIns
    window = configuration.signInWindow.timeInterval
  }

  /// Throws `RESOURCE_EXHAUSTED` with quota-failure and retry-after details while `emailKey`
  /// has ``limit`` failures within the window, or while those failures and the `inFlight`
  /// password checks not yet decided reach the limit together (then the retry-after is a
  /// second: a check in progress ends in a moment, one way or the other).
  func refuseIfLockedOut(emailKey: String, now: Date, inFlight: Int = 0, in db: Database) throws {
    let failures = try db.failedSignIns(emailKey: emailKey, since: now.addingTimeInterval(-window))
    if failures.count < limit && failures.count + inFlight >= limit {
      throw RPCError(
        .resourceExhausted, "other sign-in attempts for this account are being checked; try again in a moment",
        details: ErrorDetails(
          quotaViolations: [.init(subject: "sign-in", description: "\(limit) failed or undecided sign-ins within \(Int(window / 60)) minutes")],
          retryAfterMilliseconds: 1000))
    }
    guard let reopens = Self.reopening(failures, limit: limit, window: window) else { return }
    let wait = max(1, Int64((reopens.timeIntervalSince(now) * 1000).rounded(.up)))
    throw RPCError(
      .resourceExhausted, "too many failed sign-ins for this account; try again later",
      details: ErrorDetails(
        quotaViolations: [.init(subject: "sign-in", description: "\(limit) failed sign-ins within \(Int(window / 60)) minutes")],
        retryAfterMilliseconds: wait))
  }

  /// When attempts for `emailKey` resume, or nil when they are not refused now.
  func lockedUntil(emailKey: String, now: Date, in db: Database) throws -> Date? {
    Self.reopening(try db.failedSignIns(emailKey: emailKey, since: now.addingTimeInterval(-window)), limit: limit, window: window)
  }

  /// When attempts resume given a window's `failures`, oldest first: when enough of them age out
  /// of the window to leave fewer than the limit. Nil when they are fewer already.
  private static func reopening(_ failures: [Date], limit: Int, window: TimeInterval) -> Date? {
    guard failures.count >= limit else { return nil }
    return failures[failures.count - limit].addingTimeInterval(window)
  }

  /// Runs `check`, a check of a secret inside the caller's write (a code, a second factor),
  /// under the limit: refused while the account is locked out, and an outcome that `failed`
  /// calls a failure is recorded in the same write, audited as `failedAction` when `userID`
  /// names an account.
  ///
  /// - Throws: `RESOURCE_EXHAUSTED` while the account is locked out; what `check` throws.
  func attempt<Outcome>(
    emailKey: String, userID: String?, failedAction: String, mutation: MutationContext, in db: Database,
    _ check: () throws -> Outcome, failed: (Outcome) -> Bool
  ) throws -> Outcome {
    try refuseIfLockedOut(emailKey: emailKey, now: mutation.now, in: db)
    let outcome = try check()
    if failed(outcome) {
      try recordFailure(emailKey: emailKey, userID: userID, action: failedAction, mutation: mutation, in: db)
    }
    return outcome
  }

  /// Records a failure for `emailKey` in the caller's write, audited as `action` when the
  /// account exists.
  func recordFailure(emailKey: String, userID: String?, action: String, mutation: MutationContext, in db: Database) throws {
    // Failures older than the window count for nothing: dropping them keeps the table as small
    // as the failures of the last window, whoever sends them.
    try db.pruneFailedSignIns(before: mutation.now.addingTimeInterval(-window))
    try db.recordFailedSignIn(emailKey: emailKey, at: mutation.now)
    if let userID { try db.audit(action, subject: userID, target: userID, context: mutation) }
  }
}

/// The password checks in progress per account (by email key). A check takes a hash's time, so
/// attempts sent together would all pass the failure count before any of them failed; counting
/// the undecided ones with the failures keeps them to the limit.
final class AttemptGate: Sendable {
  private let inFlight = Mutex<[String: Int]>([:])

  init() {}

  /// Checks of `emailKey` in progress.
  func count(_ emailKey: String) -> Int {
    inFlight.withLock { $0[emailKey] ?? 0 }
  }

  func enter(_ emailKey: String) {
    inFlight.withLock { $0[emailKey, default: 0] += 1 }
  }

  func leave(_ emailKey: String) {
    inFlight.withLock { counts in
      let left = (counts[emailKey] ?? 1) - 1
      counts[emailKey] = left > 0 ? left : nil
    }
  }
}

/// Whether a write's body entered an ``AttemptGate`` and whether another left it since: a write's
/// body runs at most once, maybe not at all (the write can fail before it), so the caller leaves
/// only what was entered and not left already.
final class AttemptTicket: Sendable {
  private let state = Atomic<Int>(0)

  init() {}

  func markEntered() { state.store(1, ordering: .relaxed) }

  func markLeft() { state.store(2, ordering: .relaxed) }

  /// Entered and not yet left.
  var isInside: Bool { state.load(ordering: .relaxed) == 1 }
}
