/// The metrics both sides measure, so the profiled and raw figures land in the same rows.
extension Metric {
  /// A latency statistic ("p50", "p99", "mean") of sequential calls on one connection.
  /// `call` names the RPC; "unary" is the one compared with the raw ping-pong.
  static func latency(_ statistic: String, of call: String = "unary") -> Metric {
    Metric(
      label: "\(call) latency \(statistic), 1 connection, sequential", unit: .microseconds,
      better: .lower)
  }

  /// The p50, p99 and mean rows of `call`'s sequential latency, in that order.
  static func latencyRows(of call: String = "unary") -> [Metric] {
    ["p50", "p99", "mean"].map { latency($0, of: call) }
  }

  /// Calls per second with `concurrency` calls in flight spread over `connections` connections.
  static func throughput(
    of call: String = "unary", concurrency: Int, connections: Int, events: String = "calls/s"
  ) -> Metric {
    let calls = concurrency == 1 ? "1 call at a time" : "\(concurrency) concurrent calls"
    let links = connections == 1 ? "1 connection" : "\(connections) connections"
    return Metric(label: "\(call) throughput, \(calls), \(links)", unit: .rate(events), better: .higher)
  }

  /// Durable writes per second of `call` with `callers` concurrent callers, each a user of its
  /// own on a connection of its own. Its baseline is the same server committing every write
  /// alone (one fsync per write), not the raw socket.
  static func durableWrites(of call: String, callers: Int, events: String = "writes/s") -> Metric {
    let who =
      callers == 1
      ? "1 caller, 1 connection" : "\(callers) concurrent callers, a connection and user each"
    return Metric(
      label: "\(call) durable writes, \(who), vs one fsync per write", unit: .rate(events),
      better: .higher)
  }

  /// Messages per second of one server stream of small messages.
  static let serverStream = Metric(
    label: "server stream of small messages, 1 connection", unit: .rate("messages/s"),
    better: .higher)

  /// Transactions per second `Credits.ListTransactions` streams, 10,000 per call.
  static let transactionStream = Metric(
    label: "ListTransactions stream, 10,000 transactions per call, 1 connection", unit: .rate("transactions/s"),
    better: .higher)

  /// Seconds from `Exports.StartExport` of a year to its ready CSV, over 1,000,000 consumption
  /// records of one organization.
  static let yearExport = Metric(
    label: "export of a year of usage, 1,000,000 consumption records, start to ready", unit: .seconds,
    better: .lower)

  /// The server's peak resident set size (`VmHWM`) over everything the run made it do.
  static let serverPeakMemory = Metric(
    label: "server peak RSS (VmHWM)", unit: .mebibytes, better: .lower)
}
