/// The numbered migrations of profiled's database. Append only: a released migration never
/// changes, a new one gets the next number.
public enum ProfileSchema {
  public static let migrations: [Migration] = [
    Migration(number: 1, name: "accounts, settings, audit and outbox", sql: version1),
    Migration(number: 2, name: "API tokens and idempotency keys", sql: version2),
    Migration(number: 3, name: "multi-factor authentication", sql: version3),
    Migration(number: 4, name: "credits and chart-data exports", sql: version4),
    Migration(number: 5, name: "recent audit entries staged before the per-user index", sql: version5),
    Migration(number: 6, name: "idempotency keys of trusted callers", sql: version6),
    Migration(number: 7, name: "staged audit entries numbered without AUTOINCREMENT", sql: version7),
  ]

  /// Times are integer microseconds since 1970 (the `Date` conversion of ``DatabaseValue``);
  /// ids are opaque text; enums are their integer raw values.
  static let version1 = """
    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      email_key TEXT NOT NULL UNIQUE,
      password_hash TEXT,
      authentication_method INTEGER NOT NULL,
      external_subject TEXT,
      first_name TEXT NOT NULL,
      last_name TEXT NOT NULL,
      display_name TEXT NOT NULL,
      contact_person TEXT,
      company TEXT,
      phone TEXT,
      phone_verified INTEGER NOT NULL DEFAULT 0,
      subscription_plan INTEGER NOT NULL DEFAULT 1,
      plan_since INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      version INTEGER NOT NULL DEFAULT 1
    );
    CREATE UNIQUE INDEX users_external_identity ON users(authentication_method, external_subject)
      WHERE external_subject IS NOT NULL;

    CREATE TABLE organizations (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      personal INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      enforce_mfa INTEGER NOT NULL DEFAULT 0,
      api_tokens_enabled INTEGER NOT NULL DEFAULT 1,
      credit_based INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE memberships (
      organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      joined_at INTEGER NOT NULL,
      PRIMARY KEY (organization_id, user_id)
    );
    CREATE INDEX memberships_user ON memberships(user_id);

    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash BLOB NOT NULL UNIQUE,
      organization_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      last_used_at INTEGER
    );
    CREATE INDEX sessions_user ON sessions(user_id);

    CREATE TABLE verification_codes (
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      purpose TEXT NOT NULL,
      code_hash BLOB NOT NULL,
      target TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (user_id, purpose)
    );

    CREATE TABLE sign_in_failures (
      email_key TEXT NOT NULL,
      at INTEGER NOT NULL
    );
    CREATE INDEX sign_in_failures_email ON sign_in_failures(email_key, at);
    CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

    CREATE TABLE preferences (
      user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      language TEXT NOT NULL,
      country TEXT,
      time_zone TEXT NOT NULL,
      theme INTEGER NOT NULL,
      toast_notifications INTEGER NOT NULL,
      pinned_home_page TEXT
    );

    CREATE TABLE notification_settings (
      user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      workflow_email INTEGER NOT NULL, workflow_sms INTEGER NOT NULL,
      contacts_email INTEGER NOT NULL, contacts_sms INTEGER NOT NULL,
      billing_email INTEGER NOT NULL, billing_sms INTEGER NOT NULL,
      security_email INTEGER NOT NULL, security_sms INTEGER NOT NULL,
      low_balance_enabled INTEGER NOT NULL,
      low_balance_amount INTEGER NOT NULL,
      low_balance_currency TEXT NOT NULL,
      low_balance_email INTEGER NOT NULL, low_balance_sms INTEGER NOT NULL
    );

    CREATE TABLE archival_settings (
      user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      destination INTEGER NOT NULL,
      s3_bucket TEXT, s3_region TEXT, s3_prefix TEXT, s3_access_key_id TEXT, s3_secret BLOB,
      mysql_host TEXT, mysql_port INTEGER, mysql_database TEXT, mysql_table TEXT, mysql_user TEXT,
      mysql_password BLOB,
      interval_minutes INTEGER NOT NULL
    );

    CREATE TABLE connections (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      application TEXT NOT NULL,
      display_name TEXT NOT NULL,
      kind TEXT NOT NULL,
      credential BLOB,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX connections_user ON connections(user_id, created_at);

    CREATE TABLE avatars (
      user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      content_type TEXT NOT NULL,
      image BLOB NOT NULL,
      updated_at INTEGER NOT NULL
    );

    -- Audit entries outlive the account they describe: no foreign key.
    CREATE TABLE audit_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      time INTEGER NOT NULL,
      subject_user_id TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      request_id TEXT NOT NULL,
      peer_uid INTEGER NOT NULL
    );
    CREATE INDEX audit_events_subject ON audit_events(subject_user_id, time DESC, id DESC);

    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      channel INTEGER NOT NULL,
      recipient TEXT NOT NULL,
      template TEXT NOT NULL,
      parameters TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      delivered_at INTEGER
    );
    CREATE INDEX outbox_pending ON outbox(id) WHERE delivered_at IS NULL;
    """

  /// Personal API tokens (found by the SHA-256 of their secret, like sessions) and the
  /// idempotency keys that let a retried mutation return its first result. A key is scoped to
  /// its user and method; `result` is the first result sealed with the secrets key.
  static let version2 = """
    CREATE TABLE api_tokens (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      token_hash BLOB NOT NULL UNIQUE,
      prefix TEXT NOT NULL,
      lifetime_days INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      last_used_at INTEGER
    );
    CREATE INDEX api_tokens_user ON api_tokens(user_id, created_at);

    CREATE TABLE idempotency_keys (
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      method TEXT NOT NULL,
      key TEXT NOT NULL,
      request_hash BLOB NOT NULL,
      result_id TEXT NOT NULL,
      result BLOB NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, method, key)
    );
    CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
    """

  /// Multi-factor authentication: one TOTP factor per user (its secret sealed with the secrets
  /// key; `confirmed_at` NULL while enrollment waits for a first code; `last_step` the time step of
  /// the last accepted code, so no code is accepted twice), recovery codes stored as keyed hashes,
  /// and the challenges a password sign-in answers with while the second factor is pending (found
  /// by the SHA-256 of their id, like sessions).
  static let version3 = """
    CREATE TABLE mfa_factors (
      user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      secret BLOB NOT NULL,
      created_at INTEGER NOT NULL,
      confirmed_at INTEGER,
      last_step INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE mfa_recovery_codes (
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      code_hash BLOB NOT NULL,
      used_at INTEGER,
      PRIMARY KEY (user_id, code_hash)
    );

    CREATE TABLE mfa_challenges (
      id_hash BLOB PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX mfa_challenges_user ON mfa_challenges(user_id);
    CREATE INDEX mfa_challenges_expiry ON mfa_challenges(expires_at);
    """

  /// Credit balances, their transactions and low-balance alert state, and chart-data export jobs.
  ///
  /// `credit_balances.balance` always equals the sum of the organization's
  /// `credit_transactions.amount` (signed: added positive, consumed negative): both change in
  /// the same write. `credit_transactions_usage` covers the daily-usage aggregation of exports,
  /// so it never reads the table itself. A `credit_alerts` row means the member was alerted and
  /// the balance has not been back at or above their threshold since. Export days are
  /// `YYYY-MM-DD` (UTC); `status` is the `Exports.Status` raw value.
  static let version4 = """
    CREATE TABLE credit_balances (
      organization_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
      balance INTEGER NOT NULL CHECK (balance >= 0)
    );

    CREATE TABLE credit_transactions (
      id INTEGER PRIMARY KEY,
      organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      time INTEGER NOT NULL,
      kind INTEGER NOT NULL,
      amount INTEGER NOT NULL,
      reason TEXT NOT NULL,
      actor TEXT NOT NULL
    );
    CREATE INDEX credit_transactions_time ON credit_transactions(organization_id, time);
    CREATE INDEX credit_transactions_usage ON credit_transactions(organization_id, kind, time, reason, amount);

    CREATE TABLE credit_alerts (
      organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      alerted_at INTEGER NOT NULL,
      PRIMARY KEY (organization_id, user_id)
    );

    CREATE TABLE exports (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      from_day TEXT NOT NULL,
      to_day TEXT NOT NULL,
      status INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      finished_at INTEGER,
      size INTEGER,
      sha256 TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      message TEXT
    );
    CREATE INDEX exports_user ON exports(user_id, organization_id, created_at);
    CREATE INDEX exports_status ON exports(status, finished_at);
    """
  /// New audit entries go to `audit_events_recent`, which has no index, and move to
  /// `audit_events` in bulk, sorted by user (`Database.foldRecentAuditEvents()`): one entry per
  /// write in the per-user index dirtied a page of its own in every commit, now a fold dirties a
  /// page per user. The ids continue `audit_events`' sequence, so an entry keeps its id when it
  /// moves; `audit_trail` shows both tables as one.
  static let version5 = """
    CREATE TABLE audit_events_recent (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      time INTEGER NOT NULL,
      subject_user_id TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      request_id TEXT NOT NULL,
      peer_uid INTEGER NOT NULL
    );
    INSERT INTO sqlite_sequence (name, seq)
      SELECT 'audit_events_recent', coalesce(max(id), 0) FROM audit_events;
    CREATE VIEW audit_trail AS
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid FROM audit_events
      UNION ALL
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid FROM audit_events_recent;
    """

  /// Idempotency keys of trusted callers (a metering service's `ConsumeCredits`), which act for
  /// no user, so `idempotency_keys` (whose rows go with their user) cannot hold them: scoped to
  /// the caller's uid and method, kept as long as users' keys.
  static let version6 = """
    CREATE TABLE caller_idempotency_keys (
      caller_uid INTEGER NOT NULL,
      method TEXT NOT NULL,
      key TEXT NOT NULL,
      request_hash BLOB NOT NULL,
      result_id TEXT NOT NULL,
      result BLOB NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (caller_uid, method, key)
    );
    CREATE INDEX caller_idempotency_keys_created ON caller_idempotency_keys(created_at);
    """

  /// `audit_events_recent` without `AUTOINCREMENT`: `Database.audit` numbers each entry one past
  /// the newest of the two tables. With `AUTOINCREMENT` every entry also updated the table's row
  /// in `sqlite_sequence`, one more page in each write's savepoint and in every commit. Entries
  /// are never deleted (a fold copies them to `audit_events` before it empties this table), so
  /// the newest id is the sequence's value and no id is given twice.
  static let version7 = """
    CREATE TABLE audit_events_staged (
      id INTEGER PRIMARY KEY,
      time INTEGER NOT NULL,
      subject_user_id TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      request_id TEXT NOT NULL,
      peer_uid INTEGER NOT NULL
    );
    INSERT INTO audit_events_staged (id, time, subject_user_id, actor, action, target, request_id, peer_uid)
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid FROM audit_events_recent;
    DROP VIEW audit_trail;
    DROP TABLE audit_events_recent;
    ALTER TABLE audit_events_staged RENAME TO audit_events_recent;
    CREATE VIEW audit_trail AS
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid FROM audit_events
      UNION ALL
      SELECT id, time, subject_user_id, actor, action, target, request_id, peer_uid FROM audit_events_recent;
    """
}
