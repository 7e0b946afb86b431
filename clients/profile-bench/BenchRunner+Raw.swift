internal import Glibc

/// The raw baseline side: its server in a child process (`BenchServers`), its client on a
/// dedicated thread.
extension BenchRunner {
  /// Sequential ping-pong latency, one slice per `measure`.
  func rawLatency(_ client: RawBaselineClient) -> LatencyContender {
    let warmup = options.latencyWarmupCalls
    return LatencyContender(label: "raw baseline: latency", side: .raw) { calls in
      try await DedicatedThread.run { try client.measureLatency(warmupCalls: warmup, calls: calls) }
    }
  }

  /// Ping-pong throughput on `connections` connections, one call in flight on each. Its figure
  /// also fills the row of as many calls in flight on one profiled connection, with a footnote.
  /// Each window's CPU time is metered on both sides (`serverPID` is the raw server's).
  func rawThroughput(_ client: RawBaselineClient, connections: Int, serverPID: pid_t?) -> Contender {
    var rows: [(metric: Metric, footnote: (marker: String, text: String)?)] = [
      (Metric.throughput(concurrency: connections, connections: connections), nil)
    ]
    if connections > 1 {
      rows.append(
        (Metric.throughput(concurrency: connections, connections: 1), Self.oneConnectionPerCallFootnote))
    }
    return Contender(
      label: "raw baseline: throughput, \(connections) connection(s)", side: .raw, rows: rows
    ) { warmup, duration in
      try await DedicatedThread.run {
        try client.measureThroughput(
          connections: connections, warmupSeconds: LoadDriver.seconds(warmup),
          durationSeconds: LoadDriver.seconds(duration), meter: CPUMeter(serverPID: serverPID))
      }
    }
  }

  /// A server stream of small messages.
  func measureRawStream(_ client: RawBaselineClient, into report: inout Report) async {
    let options = options
    let what = "server stream, \(options.streamMessages) messages"
    Console.progress("raw baseline: \(what)")
    do {
      let result = try await DedicatedThread.run {
        try client.measureStream(messages: options.streamMessages, warmupMessages: options.streamWarmupMessages)
      }
      record(result, as: [.serverStream], side: .raw, into: &report)
    } catch {
      report.recordFailure(of: [.serverStream], side: .raw, what: what, error: error)
    }
  }
}
