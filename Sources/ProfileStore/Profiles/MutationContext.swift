public import Foundation

/// Who is changing what, for the audit entry every mutation writes in its own transaction.
public struct MutationContext: Sendable {
  /// A user id, `system`, or `trusted:<uid>` for a trusted caller acting on its own.
  public var actor: String
  /// The request id of the call that asked for the change.
  public var requestID: String
  /// The kernel-verified uid of the calling process.
  public var peerUID: UInt32
  /// When the change happens; every row the mutation writes uses this one time.
  public var now: Date

  public init(actor: String, requestID: String, peerUID: UInt32, now: Date = Date()) {
    self.actor = actor
    self.requestID = requestID
    self.peerUID = peerUID
    self.now = now
  }
}
