import CryptoPrimitives
import Foundation
import ProfileStore

extension ExportRunner {
  /// The CSV's first line.
  static let header = "date,reason,credits\n"

  /// Writes the job's CSV to its temporary file: the header, then one row per day and reason
  /// with consumption, by day then reason, aggregated by SQLite ``chunkDays`` days per read.
  /// Days without consumption have no row.
  ///
  /// - Returns: the size and SHA-256 of the file, or nil when `deadline` passed first.
  /// - Throws: `CancellationError` when the server stops; file or database errors.
  func build(_ job: ExportRecord, deadline: ContinuousClock.Instant) async throws -> (size: Int64, sha256: String)? {
    guard let from = ExportDay(job.fromDay), let to = ExportDay(job.toDay) else {
      throw ExportRecordDamaged(description: "its stored days '\(job.fromDay)' to '\(job.toDay)' are not dates")
    }
    let file = try files.createTemporary(job.id)
    defer { try? file.close() }
    let hasher = SHA256.Hasher()
    var size: Int64 = 0
    func emit(_ text: String) throws {
      let bytes = Data(text.utf8)
      try file.write(contentsOf: bytes)
      hasher.update(bytes)
      size += Int64(bytes.count)
    }
    try emit(Self.header)
    let organizationID = job.organizationID
    var day = from
    while day <= to {
      try Task.checkCancellation()
      guard ContinuousClock.now <= deadline else { return nil }
      let last = min(day + (Self.chunkDays - 1), to)
      let start = day.start
      let end = (last + 1).start
      let usage = try await environment.database.read { db in
        try db.dailyUsage(organizationID: organizationID, from: start, to: end)
      }
      var text = ""
      for row in usage {
        text += "\(ExportDay(number: row.day).text),\(Self.csvField(row.reason)),\(row.credits)\n"
      }
      try emit(text)
      board.update(job.id, daysDone: Int(last.number - from.number + 1))
      day = last + 1
    }
    try file.synchronize()
    return (size, hasher.finalizeHex())
  }

  /// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
  ///
  /// A reason that starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab or carriage
  /// return) gets a leading `'`, so a spreadsheet opening the file shows the text instead of
  /// evaluating it (OWASP's advice on CSV injection); reasons come from metering services, which
  /// may pass on what their users typed.
  static func csvField(_ text: String) -> String {
    let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
    let shown = text.first.map(formulaStarts.contains) == true ? "'" + text : text
    guard shown.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return shown }
    return "\"" + shown.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// An export's database row holds what no start could have stored.
struct ExportRecordDamaged: Error, CustomStringConvertible {
  let description: String
}
