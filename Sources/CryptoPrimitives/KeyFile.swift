#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A 32-byte secret key kept in a file readable by its owner only, created on first use.
///
/// For keys such as the ``AESGCM`` key that encrypts secrets in the database. Back the file up with
/// the database: losing it makes everything sealed with it unreadable.
public enum KeyFile {
  /// The size of the key, and so of the file, in bytes.
  public static let keyLength = 32

  /// The key stored at `path`, creating the file with a fresh random key if it does not exist.
  ///
  /// Creation uses `O_CREAT | O_EXCL` with mode 0600 (set again with `fchmod`, whatever the umask), writes
  /// the key, `fsync`s the file and then its directory so the key survives a crash; if any step fails
  /// the half-made file is removed. The parent directory must already exist. An existing file is read
  /// as is (symbolic links are followed, as secret mounts use them) and refused rather than repaired.
  /// Two processes creating the same file at once are safe from overwriting each other, but the loser
  /// may read the file before the winner has written it and see ``CryptoError/Code/keyFileWrongSize``.
  /// - Throws: ``CryptoError/Code/keyFileInsecure`` if the existing path is not a regular file or grants
  ///   any permission to group or others (chmod 600 fixes it);
  ///   ``CryptoError/Code/keyFileWrongSize`` if it does not hold exactly ``keyLength`` bytes;
  ///   ``CryptoError/Code/fileSystem`` if a system call fails (the message has the path and errno text);
  ///   ``CryptoError/Code/libcryptoFailure`` if no random key can be made.
  public static func loadOrCreate(at path: String) throws -> [UInt8] {
    if let created = try create(at: path) { return created }
    return try load(at: path)
  }

  /// Creates the key file, or returns `nil` if something already exists at `path`.
  private static func create(at path: String) throws -> [UInt8]? {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
    guard descriptor >= 0 else {
      let code = errno
      if code == EEXIST { return nil }
      throw systemError("cannot create key file", path, code)
    }
    var isOpen = true
    do {
      guard fchmod(descriptor, mode_t(0o600)) == 0 else {
        throw systemError("cannot set mode 0600 on key file", path, errno)
      }
      let key = try SecureRandom.bytes(keyLength)
      try writeAll(key, to: descriptor, path: path)
      guard fsync(descriptor) == 0 else { throw systemError("cannot fsync key file", path, errno) }
      isOpen = false
      guard close(descriptor) == 0 else { throw systemError("cannot close key file", path, errno) }
      try syncDirectory(containing: path)
      return key
    } catch {
      if isOpen { _ = close(descriptor) }
      _ = unlink(path)
      throw error
    }
  }

  private static func load(at path: String) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw systemError("cannot open key file", path, errno) }
    defer { _ = close(descriptor) }

    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw systemError("cannot stat key file", path, errno)
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw CryptoError(.keyFileInsecure, "key file \(path) is not a regular file")
    }
    let permissions = status.st_mode & 0o777
    guard permissions & 0o077 == 0 else {
      throw CryptoError(
        .keyFileInsecure,
        "key file \(path) has mode 0\(String(permissions, radix: 8)), which lets group or others "
          + "access it; run chmod 600 after checking who has read it")
    }
    guard status.st_size == keyLength else {
      throw CryptoError(
        .keyFileWrongSize, "key file \(path) holds \(status.st_size) bytes, expected \(keyLength)")
    }

    // One spare byte notices a file that grew after fstat.
    var buffer = [UInt8](repeating: 0, count: keyLength + 1)
    let count = try readAll(into: &buffer, from: descriptor, path: path)
    guard count == keyLength else {
      throw CryptoError(
        .keyFileWrongSize, "key file \(path) changed size while being read (\(count) bytes)")
    }
    return Array(buffer.prefix(keyLength))
  }

  private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
    try bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw systemError("cannot write key file", path, errno)
        }
        offset += written
      }
    }
  }

  /// Reads until end of file or until `buffer` is full; returns the byte count.
  private static func readAll(into buffer: inout [UInt8], from descriptor: Int32, path: String) throws
    -> Int
  {
    try buffer.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          throw systemError("cannot read key file", path, errno)
        }
        if count == 0 { break }
        offset += count
      }
      return offset
    }
  }

  /// Makes the new directory entry durable: without this a crash can lose a file that was fsynced.
  private static func syncDirectory(containing path: String) throws {
    let directory: String
    if let slash = path.lastIndex(of: "/") {
      directory = slash == path.startIndex ? "/" : String(path[..<slash])
    } else {
      directory = "."
    }
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw systemError("cannot open directory", directory, errno) }
    defer { _ = close(descriptor) }
    guard fsync(descriptor) == 0 else { throw systemError("cannot fsync directory", directory, errno) }
  }

  private static func systemError(_ what: String, _ path: String, _ code: Int32) -> CryptoError {
    CryptoError(.fileSystem, "\(what) \(path): \(String(cString: strerror(code))) (errno \(code))")
  }
}
