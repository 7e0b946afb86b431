internal import CLinux
internal import Glibc

/// Thin wrappers over the socket system calls for Unix-domain stream sockets.
package enum UnixSocket {
  /// The longest path `sockaddr_un` holds (107 bytes plus the terminating NUL on Linux).
  package static let maxPathLength = 107

  /// Binds and listens on `path` with permission bits `mode`.
  ///
  /// A socket file left by a crashed server (nothing accepts on it) is removed and replaced; a
  /// live one is never stolen, and a path that is not a socket is never removed.
  package static func listen(path: String, mode: UInt32, backlog: Int32 = 1024) throws -> Int32 {
    var address = try makeAddress(path)
    var status = stat()
    if lstat(path, &status) == 0 {
      guard status.st_mode & S_IFMT == S_IFSOCK else {
        throw RPCError(.failedPrecondition, "\(path) exists and is not a socket; refusing to replace it")
      }
      if isLive(path: path) {
        throw RPCError(.failedPrecondition, "another server is listening on \(path)")
      }
      unlink(path)
    }
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SystemError.last("socket") }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard bound == 0 else {
      let error = SystemError.last("bind(\(path))")
      close(fd)
      throw error
    }
    guard chmod(path, mode_t(mode)) == 0 else {
      let error = SystemError.last("chmod(\(path))")
      close(fd)
      unlink(path)
      throw error
    }
    guard Glibc.listen(fd, backlog) == 0 else {
      let error = SystemError.last("listen")
      close(fd)
      unlink(path)
      throw error
    }
    try setNonBlocking(fd)
    return fd
  }

  /// Connects to `path`; the socket is non-blocking afterwards.
  ///
  /// - Throws: ``RPCError`` `UNAVAILABLE` naming the path when no server listens there.
  package static func connect(path: String) throws -> Int32 {
    var address = try makeAddress(path)
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SystemError.last("socket") }
    var result: Int32 = -1
    repeat {
      result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
    } while result != 0 && errno == EINTR
    guard result == 0 else {
      let error = SystemError.last("connect")
      close(fd)
      throw RPCError(.unavailable, "no server listens on \(path) (\(error))")
    }
    try setNonBlocking(fd)
    return fd
  }

  /// Accepts one pending connection, made non-blocking and close-on-exec; `nil` when none is
  /// pending. (`accept4` would save two calls but is hidden behind `_GNU_SOURCE`.)
  package static func accept(_ listener: Int32) throws -> Int32? {
    while true {
      let fd = Glibc.accept(listener, nil, nil)
      if fd >= 0 {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        do {
          try setNonBlocking(fd)
        } catch {
          close(fd)
          throw error
        }
        return fd
      }
      switch errno {
      case EINTR, ECONNABORTED: continue
      case EAGAIN, EWOULDBLOCK: return nil
      default: throw SystemError.last("accept4")
      }
    }
  }

  /// The kernel's credentials of the peer process.
  package static func peerCredentials(_ fd: Int32) throws -> PeerCredentials {
    var credentials = clinux_peer_credentials()
    var length = socklen_t(MemoryLayout<clinux_peer_credentials>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
      throw SystemError.last("getsockopt(SO_PEERCRED)")
    }
    return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
  }

  /// True when something accepts connections on `path`.
  package static func isLive(path: String) -> Bool {
    guard let fd = try? connect(path: path) else { return false }
    close(fd)
    return true
  }

  package static func setNonBlocking(_ fd: Int32) throws {
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
      throw SystemError.last("fcntl(O_NONBLOCK)")
    }
  }

  private static func makeAddress(_ path: String) throws -> sockaddr_un {
    let bytes = Array(path.utf8)
    guard !bytes.isEmpty, bytes.count <= maxPathLength else {
      throw RPCError(
        .invalidArgument,
        "socket path must have 1 to \(maxPathLength) bytes; \(path) has \(bytes.count)")
    }
    guard !bytes.contains(0) else {
      throw RPCError(.invalidArgument, "socket path must not contain NUL bytes")
    }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (index, byte) in bytes.enumerated() { raw[index] = byte }
      raw[bytes.count] = 0
    }
    return address
  }
}
