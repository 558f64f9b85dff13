import Foundation

/// The site's front page: every report with its warning counts, filters by
/// organisation and warning code, and per organisation a chart of its key
/// figures over the years with the prior-period mismatches marked.
struct IndexPage {
    let documents: [ReviewSite.Document]
    let series: Series
    let failures: [(file: String, reason: String)]
    let context: ReviewSite.Context

    /// The figures charted, with their colour and dash (so the lines differ
    /// without colour too).
    static let charted: [(concept: String, name: String, colour: String, dash: String)] = [
        ("income_statement.operating_income", "Income", "#2e7d32", ""),
        ("income_statement.operating_costs", "Costs", "#c62828", "7 4"),
        ("income_statement.net_result", "Result", "#1565c0", ""),
        ("balance_sheet.equity", "Equity", "#6a1b9a", "2 4"),
    ]

    func html() -> String {
        // By organisation (unnamed last), then period end, then file.
        func key(_ d: ReviewSite.Document) -> (String, String, String) {
            (d.report.organisation.name ?? "~", d.report.report.period.map(ReportPage.end) ?? "", d.report.source.file)
        }
        let sorted = documents.sorted { key($0) < key($1) }
        let allWarnings = documents.flatMap(\.warnings)
        let codes = Set(allWarnings.map(\.code)).sorted()
        var organisations: [(key: String, name: String)] = []
        for document in sorted {
            let key = document.series ?? document.report.organisation.name ?? ""
            if !organisations.contains(where: { $0.key == key }) {
                organisations.append((key, document.report.organisation.name ?? "Unknown organisation"))
            }
        }
        let bySeverity = Dictionary(grouping: allWarnings, by: \.severity).mapValues(\.count)
        let pages = documents.reduce(0) { $0 + $1.report.source.pages }
        let ocr = documents.reduce(0) { $0 + $1.report.source.ocrPages.count }

        var out = Assets.head(title: "annals review: \(documents.count) report\(documents.count == 1 ? "" : "s")", stylesheet: "style.css")
        out += """
            <body class="index">
            <a class="skip" href="#reports">Skip to the reports</a>
            <header class="top">
            <h1>Review <span class="kind">\(documents.count) report\(documents.count == 1 ? "" : "s"), \(pages) pages (\(ocr) by OCR)</span></h1>
            <p class="counts"><span class="badge error\(bySeverity[.error] == nil ? " zero" : "")">\(bySeverity[.error] ?? 0) errors</span> <span class="badge warning\(bySeverity[.warning] == nil ? " zero" : "")">\(bySeverity[.warning] ?? 0) warnings</span> <span class="badge info\(bySeverity[.info] == nil ? " zero" : "")">\(bySeverity[.info] ?? 0) notices</span></p>
            <form class="filters" id="filters" hidden>
            <label>Organisation <select id="filter-org"><option value="">all</option>
            """
        for org in organisations {
            out += "<option value=\"\(HTML.escape(org.key))\">\(HTML.escape(org.name))</option>"
        }
        out += "</select></label>\n<label>Warning code <select id=\"filter-code\"><option value=\"\">any</option>"
        for code in codes {
            let n = allWarnings.filter { $0.code == code }.count
            out += "<option value=\"\(HTML.escape(code))\">\(HTML.escape(code)) (\(n))</option>"
        }
        out += "</select></label>\n<output id=\"filter-count\" aria-live=\"polite\"></output>\n</form>\n</header>\n<main>\n"

        out += "<section id=\"reports\" aria-labelledby=\"reports-h\"><h2 id=\"reports-h\">Reports</h2>\n"
        out += "<div class=\"scroll\"><table class=\"reports\"><thead><tr><th scope=\"col\">Organisation</th><th scope=\"col\">Report</th><th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Pages</th><th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th><th scope=\"col\" class=\"num\">Notices</th><th scope=\"col\">Codes</th></tr></thead><tbody>\n"
        for document in sorted {
            let report = document.report
            let warnings = document.warnings
            let counts = Dictionary(grouping: warnings, by: \.severity).mapValues(\.count)
            let own = Set(warnings.map(\.code)).sorted()
            let key = document.series ?? report.organisation.name ?? ""
            let ocrNote = report.source.ocrPages.isEmpty ? "" : " <span class=\"ocr\">(\(report.source.ocrPages.count) OCR)</span>"
            out += "<tr data-series=\"\(HTML.escape(key))\" data-codes=\"\(HTML.escape(own.joined(separator: " ")))\">"
            out += "<td class=\"org\">\(HTML.escape(report.organisation.name ?? "unknown"))</td>"
            out += "<td class=\"title\"><a href=\"\(HTML.escape(context.reportPath(report.source.sha256)))\">\(HTML.escape(ReportPage.kind(of: report)))</a></td>"
            out += "<td class=\"file\">\(HTML.escape(URL(fileURLWithPath: report.source.file).lastPathComponent))</td>"
            out += "<td class=\"num\" data-label=\"pages\">\(report.source.pages)\(ocrNote)</td>"
            for severity in [ReportWarning.Severity.error, .warning, .info] {
                let n = counts[severity] ?? 0
                out += "<td class=\"num\" data-label=\"\(severity == .info ? "notice" : severity.rawValue)\(n == 1 ? "" : "s")\"><span class=\"count \(severity.rawValue)\(n == 0 ? " zero" : "")\">\(n)</span></td>"
            }
            out += "<td class=\"codes\">" + own.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ") + "</td></tr>\n"
        }
        out += "</tbody></table></div>\n</section>\n"

        out += failureSection()
        out += "<section id=\"organisations\" aria-labelledby=\"orgs-h\"><h2 id=\"orgs-h\">Over the years</h2>\n"
        let rowsBySeries = Dictionary(grouping: series.rows, by: \.series)
        for org in organisations {
            let rows = rowsBySeries[org.key] ?? []
            let members = documents.filter { ($0.series ?? $0.report.organisation.name ?? "") == org.key }
            let mismatches = members.flatMap(\.acrossReports).filter { $0.code == "prior_period_mismatch" }
            out += "<section class=\"organisation\" data-series=\"\(HTML.escape(org.key))\" id=\"org-\(HTML.slug(org.key))\">\n"
            out += "<h3>\(HTML.escape(rows.last?.organisation ?? org.name))</h3>\n"
            if rows.isEmpty {
                out += "<p class=\"none\">No calendar-year figures to chart.</p>\n</section>\n"
                continue
            }
            out += chart(rows, mismatches: mismatches, name: org.name)
            out += seriesTable(rows, mismatches: mismatches)
            out += "</section>\n"
        }
        out += """
            </section>
            </main>
            <footer><p>Made by annals \(HTML.escape(AnnalsVersion.current)). Figures of a year come from its own report where there is one, else from a later report's comparison column (hollow points).</p></footer>
            <script src="review.js"></script>
            </body>
            </html>

            """
        return out
    }

    /// The files that could not be extracted, so nothing silently disappears.
    func failureSection() -> String {
        guard !failures.isEmpty else { return "" }
        var out = "<section id=\"failures\" aria-labelledby=\"failures-h\"><h2 id=\"failures-h\">Not extracted <span class=\"n\">\(failures.count)</span></h2>\n"
        out += "<div class=\"scroll\"><table class=\"failures\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th></tr></thead><tbody>\n"
        for failure in failures {
            out += "<tr><td class=\"file\">\(HTML.escape(failure.file))</td><td>\(HTML.escape(failure.reason))</td></tr>\n"
        }
        return out + "</tbody></table></div>\n</section>\n"
    }

    // MARK: - Chart

    func chart(_ rows: [Series.Row], mismatches: [ReportWarning], name: String) -> String {
        let years = rows.map(\.year)
        let first = years.min()!, last = years.max()!
        var values: [Decimal] = [0]
        for row in rows { for item in Self.charted { if let v = row.cells[item.concept]?.value { values.append(v) } } }
        for m in mismatches where Self.charted.contains(where: { $0.concept == m.concept }) {
            if let a = m.actual { values.append(a) }
        }
        let low = NSDecimalNumber(decimal: values.min()!).doubleValue, high = NSDecimalNumber(decimal: values.max()!).doubleValue
        let ticks = Self.ticks(low: low, high: high)
        let yMin = ticks.first!, yMax = ticks.last!
        let left = 86.0, right = 700.0, top = 16.0, bottom = 232.0
        func x(_ year: Int) -> Double {
            last == first ? (left + right) / 2 : left + 24 + (right - left - 48) * Double(year - first) / Double(last - first)
        }
        func y(_ value: Double) -> Double { bottom - (bottom - top) * (value - yMin) / (yMax - yMin) }
        let c = HTML.coordinate
        var out = "<figure class=\"chart\"><div class=\"chart-area\"><svg viewBox=\"0 0 720 268\" role=\"img\" aria-labelledby=\"chart-\(HTML.slug(name))\"><title id=\"chart-\(HTML.slug(name))\">\(HTML.escape(name)): income, costs, result and equity \(first)\u{2013}\(last)</title>\n"
        for tick in ticks {
            out += "<line class=\"grid\(tick == 0 ? " zero" : "")\" x1=\"\(c(left))\" x2=\"\(c(right))\" y1=\"\(c(y(tick)))\" y2=\"\(c(y(tick)))\"/>"
            out += "<text class=\"tick\" x=\"\(c(left - 8))\" y=\"\(c(y(tick) + 4))\" text-anchor=\"end\">\(HTML.escape(Self.axisLabel(tick, scale: max(abs(yMin), abs(yMax)))))</text>\n"
        }
        for year in first...last {
            out += "<text class=\"tick\" x=\"\(c(x(year)))\" y=\"\(c(bottom + 20))\" text-anchor=\"middle\">\(year)</text>"
        }
        out += "\n"
        for item in Self.charted {
            let points = rows.compactMap { row -> (Int, Double, Series.Cell)? in
                guard let cell = row.cells[item.concept] else { return nil }
                return (row.year, NSDecimalNumber(decimal: cell.value).doubleValue, cell)
            }
            guard !points.isEmpty else { continue }
            if points.count > 1 {
                let path = points.map { "\(c(x($0.0))),\(c(y($0.1)))" }.joined(separator: " ")
                out += "<polyline class=\"series\" points=\"\(path)\" stroke=\"\(item.colour)\"\(item.dash.isEmpty ? "" : " stroke-dasharray=\"\(item.dash)\"")/>\n"
            }
            for (year, value, cell) in points {
                let fill = cell.ownReport ? item.colour : "#fff"
                let note = cell.ownReport ? "its own report" : "a later report's comparison column"
                out += "<circle cx=\"\(c(x(year)))\" cy=\"\(c(y(value)))\" r=\"4.5\" fill=\"\(fill)\" stroke=\"\(item.colour)\" stroke-width=\"2\"><title>\(item.name) \(year): \(HTML.number(cell.value)) kr (from \(HTML.escape(note)): \(HTML.escape(cell.file)))</title></circle>\n"
            }
        }
        for m in mismatches {
            guard let year = m.period?.calendarYear, let actual = m.actual, year >= first, year <= last,
                  let item = Self.charted.first(where: { $0.concept == m.concept }) else { continue }
            let cx = x(year) + 9, cy = y(NSDecimalNumber(decimal: actual).doubleValue)
            out += "<g class=\"mismatch\"><title>Prior-period mismatch, \(item.name) \(year): \(HTML.escape(m.message))</title><path d=\"M\(c(cx - 5)),\(c(cy - 5)) L\(c(cx + 5)),\(c(cy + 5)) M\(c(cx - 5)),\(c(cy + 5)) L\(c(cx + 5)),\(c(cy - 5))\"/></g>\n"
        }
        out += "</svg></div>\n<figcaption class=\"legend\">"
        for item in Self.charted {
            out += "<span><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" x2=\"28\" y1=\"5\" y2=\"5\" stroke=\"\(item.colour)\" stroke-width=\"2.5\"\(item.dash.isEmpty ? "" : " stroke-dasharray=\"\(item.dash)\"")/></svg> \(item.name)</span>"
        }
        out += "<span><svg width=\"14\" height=\"14\" aria-hidden=\"true\" class=\"mismatch\"><path d=\"M2,2 L12,12 M2,12 L12,2\"/></svg> a later report restates it differently</span></figcaption></figure>\n"
        return out
    }

    /// Round tick values covering low…high: 1, 2 or 5 times a power of ten apart.
    static func ticks(low: Double, high: Double) -> [Double] {
        let span = max(high - low, 1)
        let raw = span / 5
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        let start = floor(low / step) * step, end = ceil(high / step) * step
        var ticks: [Double] = []
        var t = start
        while t <= end + step / 2 { ticks.append(abs(t) < step / 1e6 ? 0 : t); t += step }
        return ticks.count >= 2 ? ticks : [start, start + step]
    }

    /// `2,5 mkr`, `250 tkr` or `900 kr`, in the scale of the axis.
    static func axisLabel(_ value: Double, scale: Double) -> String {
        let minus = value < 0 ? "\u{2212}" : ""
        let v = abs(value)
        if scale >= 2_000_000 {
            let m = v / 1_000_000
            let text = m == m.rounded() ? String(Int(m)) : String(format: "%.1f", m).replacingOccurrences(of: ".", with: ",")
            return "\(minus)\(text) mkr"
        }
        if scale >= 2_000 {
            return "\(minus)\(HTML.number(Decimal(Int((v / 1000).rounded())))) tkr"
        }
        return "\(minus)\(HTML.number(Decimal(Int(v.rounded())))) kr"
    }

    func seriesTable(_ rows: [Series.Row], mismatches: [ReportWarning]) -> String {
        var out = "<div class=\"scroll\"><table class=\"figures series\"><thead><tr><th scope=\"col\">Year</th>"
        for column in Series.columns { out += "<th scope=\"col\" class=\"num\">\(column.heading)</th>" }
        out += "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr><th scope=\"row\">\(row.year)</th>"
            for column in Series.columns {
                guard let cell = row.cells[column.concept] else { out += "<td></td>"; continue }
                let restated = mismatches.filter { $0.concept == column.concept && $0.period?.calendarYear == row.year }
                var classes = "num"
                if !cell.ownReport { classes += " borrowed" }
                if !restated.isEmpty || !cell.agreed { classes += " flagged" }
                var title = "from \(cell.file)" + (cell.ownReport ? "" : " (a later report's comparison column)")
                for m in restated { title += "; restated as \(SwedishNumberFormat.format(m.actual ?? 0)) by a later report" }
                if !cell.agreed { title += "; the report's printings disagree" }
                let mark = classes.contains("flagged") ? "<span class=\"mark\" aria-label=\"flagged\">\u{26A0}\u{FE0E}</span> " : ""
                let unit: Concept.Unit = column.concept.hasPrefix("participants") ? .persons : .sek
                out += "<td class=\"\(classes)\" title=\"\(HTML.escape(title))\">\(mark)\(HTML.number(cell.value, unit: unit))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }
}
