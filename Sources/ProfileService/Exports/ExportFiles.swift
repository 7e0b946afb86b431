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

  /// Moves a complete temporary file to its final name, replacing any older one atomically.
  func publish(_ id: String) throws {
    guard rename(temporaryPath(id), path(id)) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path(id)])
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
