/// The figures of one run, paired by metric for the two sides, with the notes that explain them.
///
/// Each row shows a metric's profiled figure, its baseline and the ratio profiled / baseline.
/// The baseline is the raw socket's figure, or, on the durable-write rows, profiled's own with
/// one fsync per write (a row has one or the other). A figure that could not be measured is a
/// `failed` cell plus a note saying why; errors counted during a measurement are a note too.
/// `failureCount` drives the exit status.
struct Report: Sendable {
  enum Side: Sendable, CustomStringConvertible {
    case profiled
    case raw
    /// profiled with group commit off: one transaction and one fsync per write.
    case oneFsyncPerWrite

    var description: String {
      switch self {
      case .profiled: "profiled"
      case .raw: "raw baseline"
      case .oneFsyncPerWrite: "profiled with one fsync per write"
      }
    }

    /// The sides whose figures fill the baseline column.
    static let baselines: [Side] = [.raw, .oneFsyncPerWrite]
  }

  enum Cell: Sendable {
    /// A figure in the metric's unit, optionally marked to point at a footnote.
    case value(Double, marker: String?)
    /// Why there is no figure: "failed", "n/a".
    case missing(String)
  }

  /// One row as text, ready for either renderer.
  struct Row: Sendable {
    let scenario: String
    let profiled: String
    let raw: String
    let ratio: String
  }

  /// Lines above the table, in order.
  let header: [(name: String, value: String)]
  private(set) var metrics: [Metric] = []
  private var cells: [Metric: [Side: Cell]] = [:]
  /// Footnotes below the table, in order of first use.
  private(set) var footnotes: [(marker: String, text: String)] = []
  /// Remarks and problems, in the order they were found.
  private(set) var notes: [String] = []
  /// Conclusions printed right below the table, in order: the figures a reader looks for first.
  private(set) var highlights: [String] = []
  /// The ratio of each slice of a compared row, in the order the slices were taken: how much
  /// the ratio moved within this run.
  private(set) var sliceRatios: [(metric: Metric, ratios: [Double])] = []
  /// CPU time per call of each metered side of a row, server and client, in microseconds.
  private(set) var cpuPerCall: [(metric: Metric, side: Side, server: Double?, client: Double)] = []
  /// Measurements that failed or counted errors.
  private(set) var failureCount = 0

  init(header: [(name: String, value: String)]) {
    self.header = header
  }

  /// Fixes the order of rows up front, so it does not depend on which side measures first.
  /// Metrics recorded later without being declared are appended.
  mutating func declare(_ metrics: [Metric]) {
    for metric in metrics where cells[metric] == nil {
      self.metrics.append(metric)
      cells[metric] = [:]
    }
  }

  /// Records `value` for `metric` on `side`; `footnote` marks the cell and is printed below.
  mutating func record(
    _ value: Double, for metric: Metric, side: Side,
    footnote: (marker: String, text: String)? = nil
  ) {
    if let footnote, !footnotes.contains(where: { $0.marker == footnote.marker }) {
      footnotes.append(footnote)
    }
    set(.value(value, marker: footnote?.marker), for: metric, side: side)
  }

  /// Marks `metrics` as failed on `side` and notes why.
  mutating func recordFailure(of metrics: [Metric], side: Side, what: String, error: any Error) {
    for metric in metrics { set(.missing("failed"), for: metric, side: side) }
    notes.append("\(side), \(what): failed: \(error)")
    failureCount += 1
  }

  /// Notes the errors a measurement counted, if any; its figure still stands, from the
  /// calls that succeeded.
  mutating func recordErrors(_ errors: ErrorTally, side: Side, what: String) {
    guard !errors.isEmpty else { return }
    notes.append("\(side), \(what): \(errors.summary)")
    failureCount += 1
  }

  mutating func addNote(_ note: String) {
    notes.append(note)
  }

  mutating func addHighlight(_ highlight: String) {
    highlights.append(highlight)
  }

  /// Records the ratio of each slice of `metric`'s row (profiled / baseline).
  mutating func recordSliceRatios(_ ratios: [Double], for metric: Metric) {
    sliceRatios.append((metric, ratios))
  }

  /// "label: 0.52x, 0.58x, 0.55x" for each compared row, for both renderings.
  var sliceRatioLines: [String] {
    sliceRatios.map { metric, ratios in
      metric.label + ": " + ratios.map { NumberFormat.fixed($0, decimals: 2) + "x" }.joined(separator: ", ")
    }
  }

  /// Introduces ``sliceRatioLines``.
  static let sliceRatioTitle = "Ratio of each slice, in the order taken (the sides took turns):"

  /// Records the CPU time per call a side used in its measured windows (`server` nil when its
  /// process could not be read).
  mutating func recordCPUPerCall(server: Double?, client: Double, for metric: Metric, side: Side) {
    cpuPerCall.append((metric, side, server, client))
  }

  /// "label: profiled 7.41 / 6.98, raw baseline 3.30 / 3.12" for each metered row, in the order
  /// first recorded, for both renderings.
  var cpuPerCallLines: [String] {
    var order: [Metric] = []
    for entry in cpuPerCall where !order.contains(entry.metric) { order.append(entry.metric) }
    return order.map { metric in
      let sides = cpuPerCall.filter { $0.metric == metric }.map { entry in
        let server = entry.server.map { NumberFormat.fixed($0, decimals: 2) } ?? "—"
        return "\(entry.side) \(server) / \(NumberFormat.fixed(entry.client, decimals: 2))"
      }
      return metric.label + ": " + sides.joined(separator: ", ")
    }
  }

  /// Introduces ``cpuPerCallLines``.
  static let cpuPerCallTitle =
    "CPU time per call in the measured windows, server / client (µs; user and system time of the "
    + "server's process and of this one, which runs the client; — where the server's could not be read):"

  /// A failure that is not tied to one figure (a server that would not start).
  mutating func addFailure(_ note: String) {
    notes.append(note)
    failureCount += 1
  }

  /// The figure recorded for `metric` on `side`, if one was.
  func figure(for metric: Metric, side: Side) -> Double? {
    guard case .value(let value, _)? = cells[metric]?[side] else { return nil }
    return value
  }

  /// profiled / baseline, when both have a figure and the baseline is not zero.
  func ratio(for metric: Metric) -> Double? {
    guard let profiled = figure(for: metric, side: .profiled),
      let baseline = Side.baselines.lazy.compactMap({ figure(for: metric, side: $0) }).first,
      baseline != 0
    else { return nil }
    return profiled / baseline
  }

  /// The table's rows as text: figures in their unit ("—" when not measured), ratios as "1.23x".
  var rows: [Row] {
    metrics.map { metric in
      Row(
        scenario: "\(metric.label) (\(metric.unit.symbol))",
        profiled: text(cells[metric]?[.profiled], unit: metric.unit),
        raw: text(baselineCell(of: metric), unit: metric.unit),
        ratio: ratio(for: metric).map { NumberFormat.fixed($0, decimals: 2) + "x" } ?? "—")
    }
  }

  /// How to read the ratio column.
  static let ratioLegend =
    "ratio = profiled / raw baseline: for latency and RSS lower is better (1.00x = as good as "
    + "raw), for throughput and streams higher is better (1.00x = matches raw)."

  /// The baseline column's cell: the first baseline side with one.
  private func baselineCell(of metric: Metric) -> Cell? {
    Side.baselines.lazy.compactMap { self.cells[metric]?[$0] }.first
  }

  private mutating func set(_ cell: Cell, for metric: Metric, side: Side) {
    if cells[metric] == nil { metrics.append(metric) }
    cells[metric, default: [:]][side] = cell
  }

  private func text(_ cell: Cell?, unit: Metric.Unit) -> String {
    switch cell {
    case nil:
      return "—"
    case .missing(let reason):
      return reason
    case .value(let value, let marker):
      let figure =
        switch unit {
        case .microseconds: NumberFormat.fixed(value, decimals: 1)
        case .rate: NumberFormat.fixed(value, decimals: 0)
        case .mebibytes: NumberFormat.fixed(value, decimals: 1)
        case .seconds: NumberFormat.fixed(value, decimals: 2)
        }
      return figure + (marker ?? "")
    }
  }
}
