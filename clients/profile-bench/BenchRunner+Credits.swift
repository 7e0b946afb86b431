/// The credits and exports measurements beside the unary calls: the transaction stream on the
/// profiled server, and a year's export on a server of its own.
extension BenchRunner {
  /// Transactions per second of `ListTransactions` on one connection.
  func measureTransactionStream(socketPath: String, into report: inout Report) async {
    let messages = max(RPCScenarios.streamedTransactions, options.streamMessages / 10)
    Console.progress("profiled: ListTransactions stream, \(messages) transactions")
    do {
      let result = try await RPCScenarios.withTransactionStream(socketPath: socketPath) { stream, executor in
        await LoadDriver.stream(
          messages: messages, warmupMessages: RPCScenarios.streamedTransactions, stream: stream, executor: executor)
      }
      record(result, as: [.transactionStream], side: .profiled, into: &report)
    } catch {
      report.recordFailure(of: [.transactionStream], side: .profiled, what: "ListTransactions stream", error: error)
    }
  }

  /// Seconds to export a year of 1,000,000 consumption records, with a highlight of the size.
  func measureYearExport(into report: inout Report) async {
    Console.progress(
      "profiled: export of a year, \(NumberFormat.grouped(UInt64(RPCScenarios.exportedRecords))) consumption records")
    do {
      let (duration, size) = try await RPCScenarios.timeYearExport()
      let seconds = LoadDriver.seconds(duration)
      report.record(seconds, for: .yearExport, side: .profiled)
      report.addHighlight(
        "export of a year: \(NumberFormat.grouped(UInt64(RPCScenarios.exportedRecords))) consumption records "
          + "(\(RPCScenarios.exportReasons.count) reasons) aggregated to a "
          + "\(NumberFormat.grouped(UInt64(size)))-byte CSV in \(NumberFormat.fixed(seconds, decimals: 2)) s")
    } catch {
      report.recordFailure(of: [.yearExport], side: .profiled, what: "export of a year", error: error)
    }
  }
}
