/// The raw baseline side: its server in a child process, its client on a dedicated thread.
extension BenchRunner {
  /// Measures latency, throughput at each concurrency, the stream and the server's peak RSS.
  func measureRaw(into report: inout Report) async {
    let options = options
    let socketPath = ChildServer.temporarySocketPath(tag: "raw")
    let client = RawBaselineClient(socketPath: socketPath)
    Console.progress("raw baseline: starting its server")
    do {
      try await ChildServer.withChild(
        role: "raw baseline server", flag: BenchCommand.serveRawFlag, socketPath: socketPath
      ) { server in
        Console.progress("raw baseline: latency, \(options.latencyCalls) sequential calls")
        do {
          let result = try await DedicatedThread.run {
            try client.measureLatency(
              warmupCalls: options.latencyWarmupCalls, calls: options.latencyCalls)
          }
          record(result, call: "unary", side: .raw, into: &report)
        } catch {
          report.recordFailure(
            of: ["p50", "p99", "mean"].map { Metric.latency($0) }, side: .raw,
            what: "unary latency", error: error)
        }

        for concurrency in options.concurrencies {
          Console.progress("raw baseline: throughput, \(concurrency) connection(s)")
          let ownConnections = Metric.throughput(
            concurrency: concurrency, connections: concurrency)
          let sharedConnection = Metric.throughput(concurrency: concurrency, connections: 1)
          do {
            let result = try await DedicatedThread.run {
              try client.measureThroughput(
                connections: concurrency, warmupSeconds: options.warmupSeconds,
                durationSeconds: options.durationSeconds)
            }
            record(result, as: [ownConnections], side: .raw, into: &report)
            if concurrency > 1 {
              record(
                result, as: [sharedConnection], side: .raw, into: &report,
                footnote: Self.oneConnectionPerCallFootnote)
            }
          } catch {
            report.recordFailure(
              of: concurrency > 1 ? [ownConnections, sharedConnection] : [ownConnections],
              side: .raw, what: "throughput with \(concurrency) connection(s)", error: error)
          }
        }

        Console.progress("raw baseline: server stream, \(options.streamMessages) messages")
        do {
          let result = try await DedicatedThread.run {
            try client.measureStream(
              messages: options.streamMessages, warmupMessages: options.streamWarmupMessages)
          }
          record(result, as: [.serverStream], side: .raw, into: &report)
        } catch {
          report.recordFailure(
            of: [.serverStream], side: .raw, what: "server stream", error: error)
        }

        recordPeakMemory(side: .raw, into: &report) { try server.peakResidentKiB() }
      }
    } catch {
      report.addFailure("raw baseline: \(error)")
    }
  }
}
