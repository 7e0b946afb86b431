/// The report as an aligned plain-text table, for the terminal.
extension Report {
  var plainText: String {
    var lines = ["profile-bench: profiled against a raw Unix-socket baseline", ""]
    let nameWidth = header.map(\.name.count).max() ?? 0
    for (name, value) in header {
      lines.append("  " + name + String(repeating: " ", count: nameWidth - name.count) + "  " + value)
    }
    lines.append("")

    let titles = ["Scenario", "profiled", "raw baseline", "ratio"]
    let table = rows.map { [$0.scenario, $0.profiled, $0.raw, $0.ratio] }
    var widths = titles.map(\.count)
    for row in table {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + padding : padding + cell  // figures align right
      }.joined(separator: "  ")
    }
    lines.append(line(titles))
    lines.append(line(widths.map { String(repeating: "-", count: $0) }))
    lines.append(contentsOf: table.map(line))
    if !highlights.isEmpty {
      lines.append("")
      lines.append(contentsOf: highlights)
    }
    lines.append("")
    lines.append(Self.ratioLegend)
    for (marker, text) in footnotes { lines.append("\(marker) \(text)") }
    if !sliceRatios.isEmpty {
      lines.append("")
      lines.append(Self.sliceRatioTitle)
      lines.append(contentsOf: sliceRatioLines.map { "  - " + $0 })
    }
    if !cpuPerCall.isEmpty {
      lines.append("")
      lines.append(Self.cpuPerCallTitle)
      lines.append(contentsOf: cpuPerCallLines.map { "  - " + $0 })
    }
    if !notes.isEmpty {
      lines.append("")
      lines.append("Notes:")
      lines.append(contentsOf: notes.map { "  - " + $0 })
    }
    return lines.joined(separator: "\n")
  }
}
