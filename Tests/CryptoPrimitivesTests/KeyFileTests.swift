import CryptoPrimitives
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("KeyFile")
struct KeyFileTests {
  /// A fresh empty directory per test, removed afterwards.
  static func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("KeyFileTests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try body(directory)
  }

  /// The file's `stat`, as the kernel reports it.
  static func status(of path: String) throws -> stat {
    var status = stat()
    guard stat(path, &status) == 0 else { throw POSIXError(.ENOENT) }
    return status
  }

  static func write(_ bytes: [UInt8], to path: String, mode: Int) throws {
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    #expect(chmod(path, mode_t(mode)) == 0)
  }

  static func code(of error: any Error) -> CryptoError.Code? { (error as? CryptoError)?.code }

  @Test("first use creates a 32-byte file with mode 0600")
  func creates() throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/secrets.key"
      let key = try KeyFile.loadOrCreate(at: path)
      #expect(key.count == 32)
      #expect(Set(key).count > 1)
      let status = try Self.status(of: path)
      #expect(status.st_mode & S_IFMT == S_IFREG)
      #expect(status.st_mode & 0o777 == 0o600)
      #expect(status.st_size == 32)
      #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == key)
    }
  }

  @Test("reloading returns the same key; another file gets another key")
  func reloads() throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/secrets.key"
      let first = try KeyFile.loadOrCreate(at: path)
      #expect(try KeyFile.loadOrCreate(at: path) == first)
      #expect(try KeyFile.loadOrCreate(at: path) == first)
      #expect(try KeyFile.loadOrCreate(at: directory + "/other.key") != first)
    }
  }

  @Test("an existing 0600 key written by someone else is used as is")
  func existingKey() throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/provisioned.key"
      let key = (0..<32).map { UInt8($0 * 7 & 0xFF) }
      try Self.write(key, to: path, mode: 0o600)
      #expect(try KeyFile.loadOrCreate(at: path) == key)
      #expect(try KeyFile.loadOrCreate(at: path) == key)  // and it was not replaced
    }
  }

  @Test("a file of the wrong size is refused and left alone", arguments: [0, 16, 31, 33, 64])
  func wrongSize(size: Int) throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/secrets.key"
      try Self.write([UInt8](repeating: 0xAB, count: size), to: path, mode: 0o600)
      #expect {
        try KeyFile.loadOrCreate(at: path)
      } throws: { error in
        Self.code(of: error) == .keyFileWrongSize && "\(error)".contains("\(size) bytes")
      }
      #expect(try Self.status(of: path).st_size == size)
    }
  }

  @Test("a file group or others can access is refused", arguments: [0o644, 0o640, 0o604, 0o620, 0o601])
  func insecureMode(mode: Int) throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/secrets.key"
      try Self.write([UInt8](repeating: 1, count: 32), to: path, mode: mode)
      #expect {
        try KeyFile.loadOrCreate(at: path)
      } throws: { error in
        Self.code(of: error) == .keyFileInsecure && "\(error)".contains(String(mode, radix: 8))
      }
    }
  }

  @Test("a directory in the key's place is refused")
  func directoryInPlace() throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/secrets.key"
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
      #expect(chmod(path, 0o700) == 0)
      #expect {
        try KeyFile.loadOrCreate(at: path)
      } throws: { Self.code(of: $0) == .keyFileInsecure }
    }
  }

  @Test("a missing parent directory is a file-system error naming the path")
  func missingDirectory() throws {
    try Self.withTemporaryDirectory { directory in
      let path = directory + "/missing/secrets.key"
      #expect {
        try KeyFile.loadOrCreate(at: path)
      } throws: { error in
        Self.code(of: error) == .fileSystem && "\(error)".contains(path)
      }
    }
  }
}
