import Foundation
import Subprocesses
import Testing

/// The Python client in `clients/python`, written from `proto/WIRE.md` alone, against the built
/// `profiled`: if the document and the server drift apart, these tests say so.
@Suite struct PythonClientTests {
  /// The repository root, found from this file's path (`Tests/profiledTests/PythonClientTests.swift`).
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let clientDirectory = repositoryRoot.appendingPathComponent("clients/python")

  /// `python3` from PATH (or the usual places), or nil.
  static let python3: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin"]
    return directories.lazy
      .map { URL(fileURLWithPath: $0).appendingPathComponent("python3") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  struct Output {
    let status: Int32
    let standardOutput: String
    let standardError: String
    var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
  }

  /// Runs `python3 <script> <arguments>` from the repository root and collects its output.
  static func runPython(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws
    -> Output
  {
    try runPython(
      arguments: [clientDirectory.appendingPathComponent(script).path] + arguments, environment: environment,
      naming: script)
  }

  /// Runs `python3 <arguments>` from the repository root and collects its output; `name` says
  /// what ran in errors.
  static func runPython(arguments: [String], environment: [String: String] = [:], naming name: String) throws
    -> Output
  {
    guard let python3 else {
      throw ProcessFailure(message: "python3 was not found on PATH (\(ProcessInfo.processInfo.environment["PATH"] ?? "")); the Python client tests need it")
    }
    // Output goes to files, not pipes, so a chatty child can never block on a full pipe.
    let directory = ProfiledProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let outURL = URL(fileURLWithPath: directory).appendingPathComponent("stdout")
    let errURL = URL(fileURLWithPath: directory).appendingPathComponent("stderr")
    let process = try Subprocess(
      executable: python3.path, arguments: arguments,
      environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
      currentDirectory: repositoryRoot.path, standardOutput: .file(outURL.path),
      standardError: .file(errURL.path))
    let termination = process.waitUntilExit()
    guard case .exited(let status) = termination else {
      throw ProcessFailure(message: "\(name) ended with \(termination)")
    }
    return Output(
      status: status,
      standardOutput: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      standardError: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  @Test func goldenVectorsAndWorkedExamples() throws {
    let result = try Self.runPython("test_golden.py")
    #expect(result.status == 0, "test_golden.py failed:\n\(result.standardError)\n\(result.standardOutput)")
    #expect(result.standardError.contains("OK"), "\(result.standardError)")
  }

  @Test func exampleAgainstARealServer() throws {
    let server = try ProfiledProcess(dataDirectory: ProfiledProcess.temporaryDirectory())
    defer { server.stop() }
    let result = try Self.runPython("example.py", [server.socketPath])
    #expect(result.status == 0, "example.py failed:\n\(result.standardOutput)\n\(result.standardError)")

    let steps = try result.lines.map { line -> [String: Any] in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      return try #require(object as? [String: Any], "not a JSON object: \(line)")
    }
    func step(_ name: String) -> [[String: Any]] { steps.filter { $0["step"] as? String == name } }

    let health = try #require(step("Health/Check").first?["response"] as? [String: Any])
    #expect(health["status"] as? String == "serving")

    let services = try #require(step("Reflection/ListServices").first?["services"] as? [String])
    #expect(services.contains("Accounts") && services.contains("Profile") && services.contains("Diagnostics"))

    let profile = try #require(step("Profile/GetProfile").first?["response"] as? [String: Any])
    let email = try #require(profile["email"] as? String)
    #expect(email.hasPrefix("py-") && email.hasSuffix("@example.com"))
    #expect(profile["firstName"] as? String == "Ada")
    #expect(profile["subscriptionPlan"] as? String == "free")

    let generated = step("Diagnostics/Generate")
    #expect(generated.count == 5)
    #expect(generated.allSatisfy { ($0["response"] as? [String: Any])?["payload"] as? String == "KioqKioqKio=" })

    let nope = try #require(step("Health/Nope").first?["error"] as? [String: Any])
    #expect(nope["code"] as? Int == 12)
    #expect(nope["name"] as? String == "UNIMPLEMENTED")

    #expect(step("done").first?["ok"] as? Bool == true)
  }

  @Test func liveChecksAgainstARealServer() throws {
    let server = try ProfiledProcess(dataDirectory: ProfiledProcess.temporaryDirectory())
    defer { server.stop() }
    let result = try Self.runPython("test_live.py", environment: ["PROFILED_SOCKET": server.socketPath])
    #expect(result.status == 0, "test_live.py failed:\n\(result.standardError)")
    #expect(!result.standardError.contains("skipped"), "\(result.standardError)")
  }
}
