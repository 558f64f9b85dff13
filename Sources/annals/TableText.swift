import AnnalsCore
import Foundation

/// Tables as aligned text, for a person reading a terminal.
enum TableText {
    static func render(_ table: Table) -> String {
        var out = "== \(table.id)"
        if let title = table.title { out += " \u{201C}\(title)\u{201D}" }
        out += " page \(table.pages.map(String.init).joined(separator: "+"))"
        out += ", unit \(table.unit?.rawValue ?? "?")"
        if let unitText = table.unitText { out += " (\u{201C}\(unitText)\u{201D})" }
        out += ", \(table.columns.count) column\(table.columns.count == 1 ? "" : "s"), \(table.rows.count) rows\n"
        for (i, column) in table.columns.enumerated() {
            var line = "   column \(i + 1): \u{201C}\(column.header)\u{201D}"
            if column.heading.isNoteColumn { line += " note references" }
            if let scenario = column.heading.scenario { line += " \(scenario.rawValue)" }
            switch column.heading.reference {
            case .span(let s, let e)?: line += " \(s)–\(e)"
            case .date(let d)?: line += " \(d)"
            case .year(let y)?: line += " year \(y)"
            case nil: break
            }
            out += line + "\n"
        }
        let labelWidth = min(48, max(12, table.rows.map(\.label.count).max() ?? 12))
        let widths = table.columns.indices.map { c in
            max(table.columns[c].header.count.clamped(to: 4...14),
                table.rows.compactMap { $0.cells[c]?.text.count }.max() ?? 1)
        }
        if let header = table.labelHeader ?? Optional("") {
            out += "   " + pad(header, labelWidth, left: true)
            for (c, column) in table.columns.enumerated() { out += " | " + pad(String(column.header.prefix(widths[c])), widths[c]) }
            out += "\n"
        }
        for row in table.rows {
            let mark = row.isTotal ? "Σ " : (row.isSection ? "§ " : "  ")
            out += " " + mark + pad(String(row.label.prefix(labelWidth)), labelWidth, left: true)
            if !row.isSection {
                for (c, cell) in row.cells.enumerated() { out += " | " + pad(cell?.text ?? "", widths[c]) }
            }
            out += "\n"
        }
        return out
    }

    private static func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
        left ? s.leftAligned(n) : s.rightAligned(n)
    }
}

extension String {
    /// Spaces before it up to `width` characters (none when it is wider).
    func rightAligned(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    /// Spaces after it up to `width` characters.
    func leftAligned(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

extension Int {
    fileprivate func clamped(to range: ClosedRange<Int>) -> Int { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
