/// The report as Markdown, to paste into the README.
extension Report {
  var markdown: String {
    var lines = ["**profile-bench**: profiled against a raw Unix-socket baseline", ""]
    for (name, value) in header {
      lines.append(name == "command" ? "- \(name): `\(value)`" : "- \(name): \(escaped(value))")
    }
    lines.append("")
    lines.append("| Scenario | profiled | raw baseline | ratio |")
    lines.append("|:---|---:|---:|---:|")
    for row in rows {
      let cells = [row.scenario, row.profiled, row.raw, row.ratio].map(escaped)
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    for highlight in highlights {
      lines.append("")
      lines.append("**" + escaped(highlight) + "**")
    }
    lines.append("")
    lines.append(Self.ratioLegend)
    for (marker, text) in footnotes {
      lines.append("")
      lines.append("\(marker) \(escaped(text))")
    }
    if !sliceRatios.isEmpty {
      lines.append("")
      lines.append(Self.sliceRatioTitle)
      lines.append("")
      lines.append(contentsOf: sliceRatioLines.map { "- " + escaped($0) })
    }
    if !cpuPerCall.isEmpty {
      lines.append("")
      lines.append(Self.cpuPerCallTitle)
      lines.append("")
      lines.append(contentsOf: cpuPerCallLines.map { "- " + escaped($0) })
    }
    if !notes.isEmpty {
      lines.append("")
      lines.append("Notes:")
      lines.append("")
      lines.append(contentsOf: notes.map { "- " + escaped($0) })
    }
    return lines.joined(separator: "\n")
  }

  /// Keeps `|` from splitting a table cell.
  private func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      if character == "|" { result += "\\|" } else { result.append(character) }
    }
    return result
  }
}
