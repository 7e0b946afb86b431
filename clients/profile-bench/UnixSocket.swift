internal import Glibc

/// The Unix-domain stream socket calls the benchmark needs, each failure turned into a `BenchError`.
///
/// Every descriptor is created close-on-exec, so child servers inherit none of them.
enum UnixSocket {
  /// The longest path `sockaddr_un.sun_path` holds, leaving room for its terminating NUL.
  static let maximumPathBytes = MemoryLayout<sockaddr_un>.size - MemoryLayout<sa_family_t>.size - 1

  /// How long a blocking `connect` may wait for the server's accept queue.
  static let connectTimeoutSeconds = 5

  /// The address of `path`; throws if the path does not fit.
  static func address(_ path: String) throws -> sockaddr_un {
    let bytes = Array(path.utf8)
    guard !bytes.isEmpty, bytes.count <= maximumPathBytes else {
      throw BenchError.usage(
        "socket path '\(path)' is \(bytes.count) bytes; a Unix socket path holds 1 to \(maximumPathBytes)")
    }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
      sunPath.copyBytes(from: bytes)  // the rest stays zero: the terminating NUL
    }
    return address
  }

  /// A non-blocking socket listening on `path`.
  ///
  /// A stale socket file at `path` (left by a killed server) is replaced; any other kind of file
  /// there is an error, so a mistyped path never deletes data.
  static func listen(path: String, backlog: Int32) throws -> Int32 {
    var address = try address(path)
    try removeStaleSocketFile(path)
    let fd = try makeSocket(path)
    do {
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
      guard bound == 0 else { throw BenchError.systemCall("bind", path, code: errno) }
      guard Glibc.listen(fd, backlog) == 0 else {
        throw BenchError.systemCall("listen", path, code: errno)
      }
      try setNonBlocking(fd)
      return fd
    } catch {
      close(fd)
      throw error
    }
  }

  /// A connected socket to the server on `path`, non-blocking unless `nonBlocking` is false.
  ///
  /// The connect itself blocks, bounded by `connectTimeoutSeconds`, so a full accept queue waits
  /// for the server instead of failing.
  static func connect(path: String, nonBlocking: Bool = true) throws -> Int32 {
    var address = try address(path)
    let fd = try makeSocket(path)
    do {
      var timeout = timeval(tv_sec: connectTimeoutSeconds, tv_usec: 0)
      guard
        setsockopt(
          fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0
      else { throw BenchError.systemCall("setsockopt", "SO_SNDTIMEO", code: errno) }
      while true {
        let connected = withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
          }
        }
        if connected == 0 { break }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EINPROGRESS {
          throw BenchError.timeout(
            "connect(\(path)): the server did not accept within \(connectTimeoutSeconds) s")
        }
        throw BenchError.systemCall("connect", path, code: code)
      }
      if nonBlocking { try setNonBlocking(fd) }
      return fd
    } catch {
      close(fd)
      throw error
    }
  }

  /// Accepts one pending connection as a non-blocking descriptor; nil when none is pending.
  ///
  /// `ECONNABORTED` (the client gave up while queued) also returns nil; callers loop until nil.
  static func accept(_ listener: Int32) throws -> Int32? {
    while true {
      let fd = Glibc.accept(listener, nil, nil)
      if fd >= 0 {
        do {
          try setCloseOnExec(fd)
          try setNonBlocking(fd)
        } catch {
          close(fd)
          throw error
        }
        return fd
      }
      let code = errno
      switch code {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK, ECONNABORTED: return nil
      default: throw BenchError.systemCall("accept", code: code)
      }
    }
  }

  /// Sets `O_NONBLOCK` on `fd`.
  static func setNonBlocking(_ fd: Int32) throws {
    let flags = fcntl(fd, F_GETFL)
    guard flags >= 0 else { throw BenchError.systemCall("fcntl", "F_GETFL", code: errno) }
    guard fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
      throw BenchError.systemCall("fcntl", "F_SETFL O_NONBLOCK", code: errno)
    }
  }

  /// The process id of the peer of a connected socket (`SO_PEERCRED`), to find a server's
  /// memory figures when the benchmark did not start it.
  static func peerProcessID(_ fd: Int32) throws -> pid_t {
    // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit fields. Glibc only
    // exposes it with _GNU_SOURCE, which Swift's Glibc module does not define.
    var credentials: (Int32, UInt32, UInt32) = (0, 0, 0)
    var length = socklen_t(MemoryLayout.size(ofValue: credentials))
    guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
      throw BenchError.systemCall("getsockopt", "SO_PEERCRED", code: errno)
    }
    return credentials.0
  }

  /// Removes `path` if it is a socket file; does nothing if there is no file.
  static func removeStaleSocketFile(_ path: String) throws {
    var status = stat()
    guard lstat(path, &status) == 0 else {
      let code = errno
      if code == ENOENT { return }
      throw BenchError.systemCall("lstat", path, code: code)
    }
    guard status.st_mode & S_IFMT == S_IFSOCK else {
      throw BenchError.usage("'\(path)' exists and is not a socket; refusing to replace it")
    }
    guard unlink(path) == 0 || errno == ENOENT else {
      throw BenchError.systemCall("unlink", path, code: errno)
    }
  }

  private static func makeSocket(_ path: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw BenchError.systemCall("socket", "AF_UNIX for \(path)", code: errno) }
    return fd
  }

  private static func setCloseOnExec(_ fd: Int32) throws {
    guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else {
      throw BenchError.systemCall("fcntl", "F_SETFD FD_CLOEXEC", code: errno)
    }
  }
}
