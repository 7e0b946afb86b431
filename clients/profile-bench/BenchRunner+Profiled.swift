internal import Glibc

/// The profiled side, through `RPCScenarios`: the only part of the benchmark that changes as
/// scenarios are added.
extension BenchRunner {
  /// Measures every `RPCScenarios.Unary` case, the server stream and the server's peak RSS,
  /// against the server on `--socket` or one started in a child process.
  func measureProfiled(into report: inout Report) async {
    guard RPCScenarios.isWired else {
      report.addNote(
        "profiled: not measured: the RPC scenarios are not wired yet "
          + "(clients/profile-bench/RPCScenarios.swift), so this run has the raw baseline only.")
      return
    }
    if let socketPath = options.socketPath {
      // Not our child: find its pid from the socket's peer credentials, for its RSS.
      let serverPID: Result<pid_t, any Error> = Result {
        let probe = try UnixSocket.connect(path: socketPath, nonBlocking: false)
        defer { close(probe) }
        return try UnixSocket.peerProcessID(probe)
      }
      await measureProfiled(socketPath: socketPath, into: &report)
      recordPeakMemory(side: .profiled, into: &report) {
        try ProcFS.peakResidentKiB(of: try serverPID.get())
      }
      return
    }
    let socketPath = ChildServer.temporarySocketPath(tag: "rpc")
    Console.progress("profiled: starting its server")
    do {
      try await ChildServer.withChild(
        role: "profiled server", flag: BenchCommand.serveRPCFlag, socketPath: socketPath
      ) { server in
        await measureProfiled(socketPath: socketPath, into: &report)
        recordPeakMemory(side: .profiled, into: &report) { try server.peakResidentKiB() }
      }
    } catch {
      report.addFailure("profiled: \(error)")
    }
  }

  private func measureProfiled(socketPath: String, into report: inout Report) async {
    let options = options
    for unary in RPCScenarios.Unary.allCases {
      let call = unary.label
      Console.progress("profiled: \(call) latency, \(options.latencyCalls) sequential calls")
      do {
        let result = try await RPCScenarios.withUnaryCalls(
          unary, socketPath: socketPath, connections: 1
        ) { calls, executor in
          await LoadDriver.latency(
            warmupCalls: options.latencyWarmupCalls, calls: options.latencyCalls, call: calls[0],
            executor: executor)
        }
        record(result, call: call, side: .profiled, into: &report)
      } catch {
        report.recordFailure(
          of: ["p50", "p99", "mean"].map { Metric.latency($0, of: call) }, side: .profiled,
          what: "\(call) latency", error: error)
      }

      // The full sweep for the call the raw baseline mirrors; the largest point for the others.
      let concurrencies =
        unary == .pingPong ? options.concurrencies : [options.concurrencies.max() ?? 1]
      if unary == .pingPong {
        await measureThroughput(
          unary, concurrencies: concurrencies, sharedConnection: true, socketPath: socketPath,
          into: &report)
      }
      await measureThroughput(
        unary, concurrencies: concurrencies.filter { $0 > 1 || unary != .pingPong },
        sharedConnection: false, socketPath: socketPath, into: &report)
    }

    Console.progress("profiled: server stream, \(options.streamMessages) messages")
    do {
      let result = try await RPCScenarios.withServerStream(socketPath: socketPath) { stream, executor in
        await LoadDriver.stream(
          messages: options.streamMessages, warmupMessages: options.streamWarmupMessages,
          stream: stream, executor: executor)
      }
      record(result, as: [.serverStream], side: .profiled, into: &report)
    } catch {
      report.recordFailure(
        of: [.serverStream], side: .profiled, what: "server stream", error: error)
    }
  }

  /// Throughput at each concurrency, all calls on one connection (`sharedConnection`) or each
  /// worker on its own.
  private func measureThroughput(
    _ unary: RPCScenarios.Unary, concurrencies: [Int], sharedConnection: Bool,
    socketPath: String, into report: inout Report
  ) async {
    let options = options
    let warmup = Duration.seconds(options.warmupSeconds)
    let duration = Duration.seconds(options.durationSeconds)
    for concurrency in concurrencies {
      let connections = sharedConnection ? 1 : concurrency
      let metric = Metric.throughput(
        of: unary.label, concurrency: concurrency, connections: connections,
        events: unary.throughputUnit)
      Console.progress(
        "profiled: \(unary.label) throughput, \(concurrency) in flight, "
          + "\(connections) connection(s)")
      do {
        let result = try await RPCScenarios.withUnaryCalls(
          unary, socketPath: socketPath, connections: connections
        ) { calls, executor in
          await LoadDriver.throughput(
            workers: concurrency, calls: calls, warmup: warmup, duration: duration,
            executor: executor)
        }
        record(result, as: [metric], side: .profiled, into: &report)
      } catch {
        report.recordFailure(
          of: [metric], side: .profiled,
          what: "\(unary.label) throughput with \(concurrency) in flight on "
            + "\(connections) connection(s)", error: error)
      }
    }
  }
}
