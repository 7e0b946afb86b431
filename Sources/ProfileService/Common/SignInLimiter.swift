import Foundation
import ProfileStore
import RPC

/// The limit on failed attempts to prove who one is, per account: wrong passwords at sign-in and
/// wrong second-factor codes anywhere count together, so a second factor cannot be guessed more
/// often than a password.
struct SignInLimiter {
  let limit: Int
  let window: TimeInterval

  init(configuration: ServiceConfiguration) {
    limit = configuration.maxFailedSignIns
    window = configuration.signInWindow.timeInterval
  }

  /// Throws `RESOURCE_EXHAUSTED` with quota-failure and retry-after details while `emailKey`
  /// has ``limit`` failures within the window.
  func refuseIfLockedOut(emailKey: String, now: Date, in db: Database) throws {
    let failures = try db.failedSignIns(emailKey: emailKey, since: now.addingTimeInterval(-window))
    guard failures.count >= limit else { return }
    // Attempts resume when enough failures age out of the window to leave fewer than the limit.
    let reopens = failures[failures.count - limit].addingTimeInterval(window)
    let wait = max(1, Int64((reopens.timeIntervalSince(now) * 1000).rounded(.up)))
    throw RPCError(
      .resourceExhausted, "too many failed sign-ins for this account; try again later",
      details: ErrorDetails(
        quotaViolations: [.init(subject: "sign-in", description: "\(limit) failed sign-ins within \(Int(window / 60)) minutes")],
        retryAfterMilliseconds: wait))
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
