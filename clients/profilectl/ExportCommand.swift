internal import CryptoPrimitives
internal import Foundation
internal import Glibc
internal import ProfileAPI
internal import ProfileClient
internal import RPC

/// `export start|list|watch|download`: chart-data exports of the current organization's daily
/// credit usage, from starting one to a verified file.
struct ExportCommand: Command {
  static let name = "export"
  static let synopsis = "export start|list|watch|download"
  static let summary = "start, watch and download chart-data exports"
  static let usage = """
    USAGE: profilectl [options] export start --from YYYY-MM-DD --to YYYY-MM-DD
           profilectl [options] export list
           profilectl [options] export watch ID
           profilectl [options] export download ID -o FILE

    Chart-data exports of the current organization's daily credit usage (a CSV with the header
    date,reason,credits). Every subcommand needs a session token (--token or $PROFILED_TOKEN).

      start      starts an export of the UTC days FROM to TO (both included, at most 366, not in
                 the future) and prints its id; a background worker builds it
      list       prints your last five exports, one per line:
                 ID STATUS FROM TO SIZE (bytes, or - until ready)
      watch      follows an export until it ends: a progress bar on standard error when that is
                 a terminal, one line per change otherwise; then prints ID STATUS SIZE. Exits 0
                 when the export is ready, 9 (like FAILED_PRECONDITION) when it timed out or
                 failed, with the reason on standard error
      download   writes a ready export to FILE (- for standard output), checks its SHA-256
                 against the server's and says so on standard error; a mismatch leaves no file
                 and exits 15 (DATA_LOSS)

    OPTIONS:
      --from DAY     the first day (start)
      --to DAY       the last day (start)
      -o, --output FILE
                     where download writes (required)
      -h, --help     shows this help

    The global options (see profilectl --help) apply.

    """

  enum Action: Sendable {
    case start(from: String, to: String)
    case list
    case watch(id: String)
    case download(id: String, output: String)
  }

  let action: Action

  init(arguments: [String]) throws(UsageError) {
    var operands: [String] = []
    var values: [String: String] = [:]
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      let flag: String? =
        switch argument {
        case "--from", "--to": argument
        case "-o", "--output": "--output"
        default: nil
        }
      if let flag {
        guard index < arguments.count else { throw UsageError("\(argument) needs a value", usage: Self.usage) }
        values[flag] = arguments[index]
        index += 1
      } else if argument.hasPrefix("-") && argument != "-" {
        throw UsageError("unknown option '\(argument)' for export", usage: Self.usage)
      } else {
        operands.append(argument)
      }
    }
    func only(_ allowed: Set<String>, operandCount: Int, _ subcommand: String) throws(UsageError) {
      if let extra = values.keys.sorted().first(where: { !allowed.contains($0) }) {
        throw UsageError("export \(subcommand) does not take \(extra)", usage: Self.usage)
      }
      guard operands.count == operandCount + 1 else {
        throw UsageError(
          operandCount == 0
            ? "export \(subcommand) takes no operands" : "export \(subcommand) takes exactly one ID",
          usage: Self.usage)
      }
    }
    switch operands.first {
    case "start":
      try only(["--from", "--to"], operandCount: 0, "start")
      guard let from = values["--from"], let to = values["--to"] else {
        throw UsageError("export start needs --from and --to", usage: Self.usage)
      }
      action = .start(from: from, to: to)
    case "list":
      try only([], operandCount: 0, "list")
      action = .list
    case "watch":
      try only([], operandCount: 1, "watch")
      action = .watch(id: operands[1])
    case "download":
      try only(["--output"], operandCount: 1, "download")
      guard let output = values["--output"], !output.isEmpty else {
        throw UsageError("export download needs -o FILE", usage: Self.usage)
      }
      action = .download(id: operands[1], output: output)
    case let other?:
      throw UsageError("unknown export subcommand '\(other)'", usage: Self.usage)
    case nil:
      throw UsageError("export needs a subcommand: start, list, watch or download", usage: Self.usage)
    }
  }

  func run(in context: CommandContext) async throws -> ExitCode {
    try await context.withClient { client in
      switch action {
      case .start(let from, let to):
        let export = try await client.rpc.unary(
          Exports.startExport, Exports.StartExportRequest(from: from, to: to), options: context.callOptions())
        Output.line(export.id)
        return .success
      case .list:
        let exports = try await client.rpc.unary(Exports.listExports, Empty(), options: context.callOptions()).exports
        for export in exports {
          Output.line("\(export.id) \(export.status) \(export.from) \(export.to) \(export.size.map(String.init) ?? "-")")
        }
        if exports.isEmpty { Output.error("no exports yet") }
        return .success
      case .watch(let id):
        return try await watch(id, client: client, context: context)
      case .download(let id, let output):
        return try await download(id, to: output, client: client, context: context)
      }
    }
  }

  private func watch(_ id: String, client: ProfileClient, context: CommandContext) async throws -> ExitCode {
    let bar = isatty(STDERR_FILENO) == 1
    var last: Exports.ExportProgress?
    for try await progress in client.rpc.serverStreaming(
      Exports.watchExport, Exports.ExportRequest(id: id), options: context.callOptions(streamingResponses: true))
    {
      last = progress
      guard progress.status == .inProgress else { continue }
      if bar {
        Output.error("\r" + Self.bar(done: progress.daysDone, total: progress.daysTotal), terminator: "")
      } else {
        Output.error("\(id) \(progress.status) \(progress.daysDone)/\(progress.daysTotal) days")
      }
    }
    if bar, last != nil { Output.error("") }
    guard let last else { throw RPCError(.internal, "the watch ended without a message") }
    Output.line("\(id) \(last.status) \(last.size.map { "\($0) bytes" } ?? "-")")
    switch last.status {
    case .ready:
      return .success
    case .inProgress:
      Output.error("the server stopped watching before the export ended; watch it again")
      return ExitCode(.unavailable)
    case .timedOut, .failed, .expired:
      if let message = last.message { Output.error(message) }
      return ExitCode(.failedPrecondition)
    }
  }

  /// `[##########..........]  50%  183/366 days`.
  static func bar(done: Int, total: Int) -> String {
    let width = 30
    let fraction = total > 0 ? Double(done) / Double(total) : 1
    let filled = Int((fraction * Double(width)).rounded(.down))
    let percent = String(Int((fraction * 100).rounded(.down)))
    return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
      + String(repeating: " ", count: 3 - percent.count) + percent + "%  \(done)/\(total) days"
  }

  private func download(_ id: String, to output: String, client: ProfileClient, context: CommandContext) async throws
    -> ExitCode
  {
    let toStandardOutput = output == "-"
    let temporary = output + ".partial"
    var file: FileHandle?
    if !toStandardOutput {
      guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
        let handle = FileHandle(forWritingAtPath: temporary)
      else {
        Output.error("profilectl: cannot write \(temporary)")
        return ExitCode(.unknown)
      }
      file = handle
    }
    defer {
      try? file?.close()
      if !toStandardOutput { unlink(temporary) }
    }
    let hasher = SHA256.Hasher()
    var received: Int64 = 0
    var expected: (size: Int64, sha256: String)?
    for try await chunk in client.rpc.serverStreaming(
      Exports.downloadExport, Exports.ExportRequest(id: id), options: context.callOptions(streamingResponses: true))
    {
      if let size = chunk.totalSize, let sha256 = chunk.sha256 { expected = (size, sha256) }
      hasher.update(chunk.data)
      received += Int64(chunk.data.count)
      if let file {
        try file.write(contentsOf: chunk.data)
      } else {
        try FileHandle.standardOutput.write(contentsOf: chunk.data)
      }
    }
    let digest = hasher.finalizeHex()
    guard let expected, expected.size == received, expected.sha256 == digest else {
      Output.error(
        "DATA_LOSS: the download does not match the server's checksum (received \(received) bytes, sha256 \(digest); "
          + "expected \(expected.map { "\($0.size) bytes, sha256 \($0.sha256)" } ?? "a size and checksum")); "
          + "nothing was written")
      return ExitCode(.dataLoss)
    }
    if let file {
      try file.synchronize()
      guard rename(temporary, output) == 0 else {
        Output.error("profilectl: cannot rename \(temporary) to \(output): errno \(errno)")
        return ExitCode(.unknown)
      }
    }
    Output.error("\(toStandardOutput ? "wrote" : "wrote \(output):") \(received) bytes, sha256 \(digest) (verified)")
    return .success
  }
}
