import Foundation

/// Paths of the contract files under `proto/`, found from this source file's location.
enum ContractFiles {
  static let protoDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("proto")

  static let schema = protoDirectory.appendingPathComponent("profile.schema")
  static let golden = protoDirectory.appendingPathComponent("golden")

  /// True when the developer asked the tests to rewrite the contract files instead of checking
  /// them (after a deliberate contract change): `PROFILED_WRITE_CONTRACT=1 swift test`.
  static var rewrite: Bool { ProcessInfo.processInfo.environment["PROFILED_WRITE_CONTRACT"] == "1" }
}
