public import CryptoPrimitives
public import Foundation

/// The knobs of the profile services. Defaults suit production; tests lower the hashing cost.
public struct ServiceConfiguration: Sendable {
  /// Where `profiled.sqlite` and the secrets key file live.
  public var dataDirectory: String
  public var passwordPolicy = PasswordPolicy()
  /// scrypt cost for new password hashes; stored hashes below it are re-hashed at sign-in.
  public var passwordHashing = PasswordHasher.Parameters.recommended
  public var sessionLifetime: Duration = .seconds(30 * 24 * 3600)
  /// How long a verification code stays valid.
  public var codeLifetime: Duration = .seconds(600)
  /// Wrong entries that end a verification code.
  public var maxCodeAttempts = 5
  /// Minimum time between two codes sent to the same phone.
  public var resendInterval: Duration = .seconds(30)
  /// Failed sign-ins for one email within ``signInWindow`` before further attempts are refused.
  public var maxFailedSignIns = 5
  public var signInWindow: Duration = .seconds(15 * 60)
  /// How long the challenge a password sign-in answers with (MFA on) waits for its code.
  public var mfaChallengeLifetime: Duration = .seconds(5 * 60)
  /// Most writes the store commits in one transaction. 1 turns batching off (see
  /// ``pipelinesSyncs`` for the one-fsync-per-write baseline).
  public var maxWritesPerCommit = 256
  /// Whether the store syncs the WAL on a thread of its own while its writer goes on, so one
  /// fsync covers every commit made while the previous one ran; false syncs inside each commit.
  /// Either way a write is acknowledged only once it is on disk. false with
  /// ``maxWritesPerCommit`` 1 is one fsync per write: the benchmark's baseline.
  public var pipelinesSyncs = true
  /// Told, once, when the store can no longer make writes durable (a failed `fdatasync` of its
  /// WAL): every store call fails from then on and Health says `notServing` for everything;
  /// only a restart recovers. `profiled` logs it as an error.
  public var onStoreFailure: (@Sendable (String) -> Void)?
  /// Told of each failure in work no caller waits for, so its cause is not lost: `work` names
  /// it (`export exp_… start`, `… build` or `… finish`, `export recovery`, `export sweep`, or
  /// `session and token last-use flush` at close) and `error` is the error's description.
  /// Callers see only that the work failed (an export ends `failed`). `profiled` logs each as
  /// an error.
  public var onBackgroundFailure: (@Sendable (_ work: String, _ error: String) -> Void)?
  /// Runs before each sync of the store's WAL; a throw fails that sync (tests).
  package var beforeStoreSync: (@Sendable () throws -> Void)?
  /// The wall clock every expiry, window and audit time is read from. Tests move it by hand.
  public var now: @Sendable () -> Date = { Date() }
  /// Background workers building chart-data exports at once. 0 queues exports without building
  /// them (they wait for a server that does).
  public var exportWorkers = 2
  /// Exports in progress on the whole server, queued or being built; past it `StartExport`
  /// answers `RESOURCE_EXHAUSTED` with a retry-after. Each user has 5 at most, but anyone may
  /// sign up, so the queue needs a bound of its own.
  public var maxExportsInProgress = 64
  /// How long one export may be built before it ends TIMED_OUT (measured on a monotonic clock
  /// from when a worker starts it).
  public var exportTimeBudget: Duration = .seconds(600)
  /// Runs before each write that records an export job's state (`"recover"`, `"start"`,
  /// `"finish"`); a throw fails that try as a store error would (tests).
  package var beforeExportWrite: (@Sendable (String) throws -> Void)?

  public init(dataDirectory: String) {
    self.dataDirectory = dataDirectory
  }
}

extension Duration {
  /// The duration in seconds, as a `TimeInterval`.
  var timeInterval: TimeInterval {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
