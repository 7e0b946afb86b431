public import ProfileStore
public import RPC

/// How a store failure that no handler expects reaches the caller. The status says what a caller
/// can do about it, and the error itself is the call's cause, which the server logs under the
/// request id the caller is told:
/// - a full disk (`SQLITE_FULL`) is `RESOURCE_EXHAUSTED`: the write was rolled back, nothing
///   changed, and trying again only helps once an operator made room;
/// - a lock held past the busy timeout by another program on the database file (`SQLITE_BUSY`,
///   `SQLITE_LOCKED`) is `UNAVAILABLE` with a retry-after: nothing changed, and trying again soon
///   may succeed;
/// - a damaged file (`SQLITE_CORRUPT`, `SQLITE_NOTADB`) is `DATA_LOSS`;
/// - anything else stays `UNKNOWN`: among them a failed sync of the WAL, whose write may or may
///   not survive a restart, and constraints no handler expected.
extension DatabaseError: RPCErrorConvertible {
  /// How long a caller should wait before trying again after the database was busy.
  static let busyRetryAfterMilliseconds: Int64 = 1_000

  public var rpcError: RPCError {
    let cause = description
    switch resultCode {
    case DatabaseError.full:
      return RPCError(
        .resourceExhausted, "the server's storage is full; nothing was changed",
        details: ErrorDetails(quotaViolations: [.init(subject: "storage", description: "the disk is full")]),
        cause: cause)
    case DatabaseError.busy, DatabaseError.locked:
      return RPCError(
        .unavailable, "the database is held by another program; nothing was changed, try again",
        details: ErrorDetails(retryAfterMilliseconds: Self.busyRetryAfterMilliseconds), cause: cause)
    case DatabaseError.corrupt, DatabaseError.notADatabase:
      return RPCError(.dataLoss, "the server's database is damaged", cause: cause)
    default:
      return RPCError(.unknown, "the handler failed with an unexpected error", cause: cause)
    }
  }
}
