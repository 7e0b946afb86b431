internal import Foundation

/// The executables `swift build --build-tests` puts next to the test bundle.
///
/// The test target depends on the `profilectl` and `profiled` products, so they are built into
/// the same directory as the running test executable (`.build/debug/` or the like); when the
/// runner lives inside a bundle, the directory is found by walking up.
enum BuiltProducts {
  struct Missing: Error, CustomStringConvertible {
    let description: String
  }

  /// The path of the built executable `name`.
  ///
  /// - Throws: ``Missing`` naming the directories searched, when it is not there.
  static func path(of name: String) throws -> String {
    let start = runningExecutable.deletingLastPathComponent()
    var directory = start
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    throw Missing(
      description: "no built '\(name)' in \(start.path) or above; run swift build --build-tests")
  }

  private static var runningExecutable: URL {
    let link = "/proc/self/exe"
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
      return URL(fileURLWithPath: resolved)
    }
    return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
  }
}
