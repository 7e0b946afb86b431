import Foundation
import Glibc

/// Where export files live: `exports/<id>.csv` in the data directory, written first as
/// `<id>.csv.partial` and renamed when complete, so a file under its final name is always whole.
struct ExportFiles: Sendable {
  let directory: String

  init(dataDirectory: String) {
    directory = (dataDirectory as NSString).appendingPathComponent("exports")
  }

  /// Creates the directory (owner-only) when it is missing.
  func prepare() throws {
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
  }

  /// The complete file of an export. Ids are ours (`exp_` and base32), never a path.
  func path(_ id: String) -> String {
    (directory as NSString).appendingPathComponent("\(id).csv")
  }

  func temporaryPath(_ id: String) -> String {
    path(id) + ".partial"
  }

  /// Creates (or empties) an export's temporary file, readable by the owner only.
  func createTemporary(_ id: String) throws -> FileHandle {
    let path = temporaryPath(id)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw ExportFileError(operation: "create", path: path, errno: errno) }
    return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
  }

  /// Moves a complete temporary file to its final name, replacing any older one atomically.
  func publish(_ id: String) throws {
    guard rename(temporaryPath(id), path(id)) == 0 else {
      throw ExportFileError(operation: "rename into place", path: path(id), errno: errno)
    }
  }

  /// Deletes an export's files, whichever exist.
  func remove(_ id: String) {
    unlink(path(id))
    unlink(temporaryPath(id))
  }

  /// Deletes every file but the complete files of `keep`: partial files of jobs a stop
  /// interrupted, and files whose export is gone.
  func removeAll(except keep: Set<String>) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    for name in names {
      let id = name.hasSuffix(".csv") ? String(name.dropLast(4)) : nil
      if let id, keep.contains(id) { continue }
      unlink((directory as NSString).appendingPathComponent(name))
    }
  }
}

/// A system call on an export file failed; says which, on what, and the system's reason.
struct ExportFileError: Error, CustomStringConvertible {
  let operation: String
  let path: String
  let reason: String

  init(operation: String, path: String, errno code: Int32) {
    self.operation = operation
    self.path = path
    reason = String(cString: strerror(code))
  }

  var description: String { "cannot \(operation) \(path): \(reason)" }
}
