import Foundation
import ProfileStore
import Testing

/// Durable writes per second at 64 concurrent callers, group commit against one fsync per write.
///
/// Off by default (it measures, and takes a few seconds); run it with
/// `PROFILESTORE_BENCHMARK=1 swift test --filter GroupCommitBenchmark`.
@Suite("Group commit benchmark")
struct GroupCommitBenchmarkTests {
  static let callers = 64
  static let writesPerCaller = 50

  /// Writes per second over `callers` tasks that each await `writesPerCaller` writes in turn.
  static func measure(maxBatchSize: Int, directory: String) async throws -> (
    rate: Double, statistics: DatabasePool.Statistics
  ) {
    var configuration = DatabasePool.Configuration()
    configuration.maxBatchSize = maxBatchSize
    // One write per transaction is the one-fsync-per-write baseline only when COMMIT syncs.
    configuration.syncMode = maxBatchSize == 1 ? .inCommit : .pipelined
    let pool = try DatabasePool(
      path: directory + "/bench-\(maxBatchSize).sqlite", configuration: configuration,
      migrations: [
        Migration(
          number: 1, name: "events",
          sql: "CREATE TABLE events (id INTEGER PRIMARY KEY, caller INTEGER, payload TEXT, at INTEGER);")
      ])
    let clock = ContinuousClock()
    let elapsed = try await clock.measure {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for caller in 0..<callers {
          group.addTask {
            for index in 0..<writesPerCaller {
              try await pool.write { db in
                try db.execute(
                  sql: "INSERT INTO events (caller, payload, at) VALUES (?, ?, ?)",
                  caller, "write \(index) of caller \(caller)", Date())
              }
            }
          }
        }
        try await group.waitForAll()
      }
    }
    let statistics = pool.statistics
    await pool.close()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(callers * writesPerCaller) / seconds, statistics)
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["PROFILESTORE_BENCHMARK"] != nil))
  func groupCommitBeatsOneFsyncPerWrite() async throws {
    try await withTemporaryDirectory { directory in
      let baseline = try await Self.measure(maxBatchSize: 1, directory: directory)
      let grouped = try await Self.measure(
        maxBatchSize: DatabasePool.Configuration().maxBatchSize, directory: directory)
      let ratio = grouped.rate / baseline.rate
      print(
        """
        group commit benchmark, \(Self.callers) callers x \(Self.writesPerCaller) writes:
          baseline (maxBatchSize 1, syncMode inCommit): \(Int(baseline.rate)) writes/s, \(baseline.statistics)
          group commit:              \(Int(grouped.rate)) writes/s, \(grouped.statistics)
          ratio: \(String(format: "%.1f", ratio))x
        """)
      #expect(grouped.statistics.commits < grouped.statistics.writes)
      #expect(ratio >= 10)
    }
  }
}
