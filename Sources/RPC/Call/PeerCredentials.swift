/// The kernel's view of the process at the other end of a Unix socket (`SO_PEERCRED`), read
/// once when the connection is accepted. It cannot be forged by the peer.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
  public let pid: Int32
  public let uid: UInt32
  public let gid: UInt32

  public init(pid: Int32, uid: UInt32, gid: UInt32) {
    self.pid = pid
    self.uid = uid
    self.gid = gid
  }

  public var description: String { "pid=\(pid) uid=\(uid) gid=\(gid)" }
}
