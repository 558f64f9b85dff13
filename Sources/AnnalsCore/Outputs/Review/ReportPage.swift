import Foundation

/// The page of one report: header, warnings with crops, extracted statements.
struct ReportPage {
    let document: ReviewSite.Document
    let context: ReviewSite.Context
    private(set) var cropCount = 0

    init(document: ReviewSite.Document, context: ReviewSite.Context) {
        self.document = document
        self.context = context
        cropCount = document.warnings.reduce(0) { n, w in n + Set(w.facts).count + (w.related?.facts.count ?? 0) }
    }

    /// Crops shown open; a warning naming more places (a long note's rows)
    /// has the rest folded under them.
    static let openCrops = 6
    var report: Report { document.report }
    var sha: String { report.source.sha256 }

    /// The report's name for people: organisation, kind and period.
    static func title(of report: Report) -> String {
        let organisation = report.organisation.name ?? URL(fileURLWithPath: report.source.file).lastPathComponent
        return organisation + " \u{2013} " + kind(of: report)
    }

    static func kind(of report: Report) -> String {
        let kind: String
        switch report.report.type {
        case .annual?: kind = "annual report"
        case .interim?: kind = "interim report"
        case nil: kind = "report"
        }
        let period = HTML.period(report.report.period)
        return period.isEmpty ? kind : "\(kind) \(period)"
    }

    func html() -> String {
        let warnings = document.warnings
        let serious = warnings.filter { $0.severity != .info }
        let notices = warnings.filter { $0.severity == .info }
        var out = Assets.head(title: Self.title(of: report), stylesheet: "style.css")
        out += """
            <body class="report">
            <a class="skip" href="#warnings">Skip to the warnings</a>
            <header class="top">
            <nav class="crumbs"><a href="index.html">All reports</a></nav>
            <h1>\(HTML.escape(report.organisation.name ?? "Unknown organisation")) <span class="kind">\(HTML.escape(Self.kind(of: report)))</span></h1>
            \(metadata())
            \(counts(warnings))
            </header>
            <main>
            <section id="warnings" aria-labelledby="warnings-h">
            <h2 id="warnings-h">Warnings <span class="n">\(serious.count)</span></h2>

            """
        if let reason = document.missingPDF {
            out += "<p class=\"missing\">No page images: \(HTML.escape(reason)).</p>\n"
        }
        if serious.isEmpty {
            out += "<p class=\"none\">No errors or warnings: every check agreed.</p>\n"
        }
        for (i, warning) in serious.enumerated() { out += article(warning, id: "w\(i + 1)") }
        if !notices.isEmpty {
            out += "<details class=\"notices\"><summary>\(notices.count) notice\(notices.count == 1 ? "" : "s") (info)</summary>\n"
            for (i, warning) in notices.enumerated() { out += article(warning, id: "n\(i + 1)") }
            out += "</details>\n"
        }
        out += "</section>\n"
        out += statements()
        out += """
            </main>
            <footer><p>Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous warning. Made by annals \(HTML.escape(report.tool.version)) from \(HTML.escape(report.source.file)).</p></footer>
            <script src="review.js"></script>
            </body>
            </html>

            """
        return out
    }

    func metadata() -> String {
        let layout = "\(report.layout.id) (score \(String(format: "%.2f", report.layout.score)))"
        let ocr = report.source.ocrPages
        var rows: [(String, String)] = [
            ("File", HTML.escape(report.source.file)),
            ("sha256", "<code>\(report.source.sha256.prefix(16))…</code>"),
            ("Type", HTML.escape(report.report.type?.rawValue ?? "unknown")),
            ("Period", HTML.escape(HTML.period(report.report.period))),
            ("Layout", HTML.escape(layout)),
            ("Pages", "\(report.source.pages)"),
            ("OCR pages", ocr.isEmpty ? "none" : "\(ocr.count): " + Self.ranges(ocr)),
            ("Figures", "\(report.facts.count) read, \(report.values.count) values"),
        ]
        if report.organisation.name == nil { rows.append(("Organisation", "not found on the cover")) }
        return "<dl class=\"meta\">" + rows.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined() + "</dl>"
    }

    func counts(_ warnings: [ReportWarning]) -> String {
        let bySeverity = Dictionary(grouping: warnings, by: \.severity)
        let parts: [(ReportWarning.Severity, String)] = [(.error, "error"), (.warning, "warning"), (.info, "notice")]
        return "<p class=\"counts\">" + parts.map { severity, word in
            let n = bySeverity[severity]?.count ?? 0
            return "<span class=\"badge \(severity.rawValue)\(n == 0 ? " zero" : "")\">\(n) \(word)\(n == 1 ? "" : "s")</span>"
        }.joined(separator: " ") + "</p>"
    }

    /// `3–5, 9` for [3, 4, 5, 9].
    static func ranges(_ pages: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = pages.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])\u{2013}\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }

    // MARK: - Warnings

    func article(_ warning: ReportWarning, id: String) -> String {
        var out = "<article class=\"finding \(warning.severity.rawValue)\" id=\"\(id)\" tabindex=\"-1\" data-code=\"\(HTML.escape(warning.code))\">\n"
        out += "<header><span class=\"sev\">\(warning.severity.rawValue)</span> <code class=\"code\">\(HTML.escape(warning.code))</code>"
        if let concept = warning.concept {
            out += " <span class=\"concept\">\(HTML.escape(concept))\(warning.period.map { " \u{00B7} " + HTML.escape(HTML.period($0)) } ?? "")</span>"
        }
        out += "</header>\n<p class=\"message\">\(HTML.keepingNumbersTogether(HTML.escape(warning.message)))</p>\n"
        let unit = warning.concept.flatMap { Concept.named($0)?.unit } ?? .sek
        if let expected = warning.expected, let actual = warning.actual {
            out += "<dl class=\"numbers\"><div><dt>Expected</dt><dd>\(HTML.number(expected, unit: unit))</dd></div>"
            out += "<div><dt>Found</dt><dd>\(HTML.number(actual, unit: unit))</dd></div>"
            if let difference = warning.difference {
                out += "<div><dt>Difference</dt><dd>\(HTML.number(difference, unit: unit))</dd></div>"
            }
            out += "</dl>\n"
        }
        out += places(warning)
        out += "</article>\n"
        return out
    }

    /// The crops of every place involved, side by side.
    func places(_ warning: ReportWarning) -> String {
        var figures: [String] = []
        var seen = Set<String>()
        let own = warning.facts.filter { seen.insert($0).inserted }
        var folded: [String] = []
        for (i, id) in own.enumerated() {
            if let fact = context.facts[sha]?[id] {
                let figure = crop(fact, in: sha, label: warning.related == nil ? nil : "This report")
                if i < Self.openCrops { figures.append(figure) } else { folded.append(figure) }
            }
        }
        if let related = warning.related {
            if context.facts[related.sha256] == nil {
                figures.append("<figure class=\"crop absent\"><div class=\"placeholder\">\(HTML.escape(related.file)) is not part of this review</div><figcaption>The earlier report: \(HTML.escape(related.file))\(related.pages.isEmpty ? "" : ", p. " + related.pages.map(String.init).joined(separator: ", "))</figcaption></figure>")
            } else {
                for id in related.facts {
                    if let fact = context.facts[related.sha256]?[id] {
                        figures.append(crop(fact, in: related.sha256, label: "Earlier report: " + URL(fileURLWithPath: context.files[related.sha256] ?? related.file).lastPathComponent))
                    }
                }
            }
        }
        if !folded.isEmpty {
            figures.append("<details class=\"more\"><summary>\(folded.count) more place\(folded.count == 1 ? "" : "s")</summary><div class=\"places pair\">"
                           + folded.joined(separator: "\n") + "</div></details>")
        }
        // A warning about pages rather than figures (an OCR'd page, an unmapped table).
        if figures.isEmpty {
            // An OCR notice on a page without figures needs no picture of it.
            for page in warning.pages where warning.code != "ocr_page" || context.image(sha, page: page) != nil {
                figures.append(thumbnail(page))
            }
        }
        guard !figures.isEmpty else { return "" }
        return "<div class=\"places\(figures.count > 1 ? " pair" : "")\">\n" + figures.joined(separator: "\n") + "\n</div>\n"
    }

    /// A window onto the rendered page around `fact`: the full text width
    /// (so the row's label shows) and a few lines above and below.
    func crop(_ fact: Fact, in sha: String, label: String?) -> String {
        let caption = captionText(fact)
        let heading = label.map { "<span class=\"which\">\(HTML.escape($0))</span>" } ?? ""
        let link = context.pageViewPath(sha, page: fact.source.page) + "#\(fact.id)"
        guard let image = context.image(sha, page: fact.source.page), let box = fact.source.bbox else {
            let why = context.rendered[sha] == nil ? "no page image (the source PDF was not found)" : "no position recorded"
            return "<figure class=\"crop absent\">\(heading)<div class=\"placeholder\">\(why)</div><figcaption>\(caption)</figcaption></figure>"
        }
        let c = HTML.coordinate
        let alt = "Page \(fact.source.page): \(fact.source.row ?? fact.concept), printed \(fact.source.text)"
        let imagePath = HTML.escape(context.imagePath(sha, page: fact.source.page))
        let highlight = "<rect class=\"hl\" x=\"\(c(box.x0 - 2))\" y=\"\(c(box.y0 - 2))\" width=\"\(c(box.x1 - box.x0 + 4))\" height=\"\(c(box.y1 - box.y0 + 4))\" rx=\"2\"/>"
        func window(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double, _ cls: String) -> String {
            "<svg class=\"\(cls)\" viewBox=\"\(c(x0)) \(c(y0)) \(c(x1 - x0)) \(c(y1 - y0))\" role=\"img\" aria-label=\"\(HTML.escape(alt))\"><image href=\"\(imagePath)\" x=\"0\" y=\"0\" width=\"\(c(image.width))\" height=\"\(c(image.height))\" preserveAspectRatio=\"none\"/>\(highlight)</svg>"
        }
        // Wide: the text width, so the row's label shows. Tight, for narrow
        // screens: the figure and its neighbours, large enough to read.
        let margin = image.width * 0.085
        let wide = window(max(0, min(box.x0 - 12, margin)), min(image.width, max(box.x1 + 12, image.width - margin)),
                          max(0, box.y0 - 30), min(image.height, box.y1 + 30), "wide")
        let tight = window(max(0, box.x0 - 150), min(image.width, box.x1 + 40),
                           max(0, box.y0 - 24), min(image.height, box.y1 + 24), "tight")
        return """
            <figure class="crop">\(heading)<a href="\(HTML.escape(link))" title="Open page \(fact.source.page) with this figure outlined">\(wide)\(tight)</a><figcaption>\(caption)</figcaption></figure>
            """
    }

    func captionText(_ fact: Fact) -> String {
        var parts = ["p.\u{00A0}\(fact.source.page)"]
        if let table = fact.source.table { parts.append(HTML.escape(table)) }
        if let row = fact.source.row { parts.append(HTML.escape(row)) }
        if let column = fact.source.column { parts.append(HTML.escape(column)) }
        var text = "<b class=\"printed\">\(HTML.escape(fact.source.text))</b> " + parts.joined(separator: " \u{00B7} ")
        if fact.confidence < 0.9 {
            text += " <span class=\"conf\">OCR confidence \(Int((fact.confidence * 100).rounded()))\u{00A0}%</span>"
        }
        return text
    }

    func thumbnail(_ page: Int) -> String {
        guard let image = context.image(sha, page: page) else {
            return "<figure class=\"thumb absent\"><div class=\"placeholder\">p. \(page): no page image</div></figure>"
        }
        let c = HTML.coordinate
        return """
            <figure class="thumb"><a href="\(HTML.escape(context.pageViewPath(sha, page: page)))" title="Open page \(page)"><svg viewBox="0 0 \(c(image.width)) \(c(image.height))" role="img" aria-label="Page \(page)"><image href="\(HTML.escape(context.imagePath(sha, page: page)))" x="0" y="0" width="\(c(image.width))" height="\(c(image.height))"/></svg></a><figcaption>p.\u{00A0}\(page)</figcaption></figure>
            """
    }

    // MARK: - Statements

    /// The groups of concepts shown as tables, in reading order.
    static let groups: [(id: String, title: String, prefixes: [String])] = [
        ("income-statement", "Income statement (resultaträkning)", ["income_statement."]),
        ("balance-sheet", "Balance sheet (balansräkning)", ["balance_sheet."]),
        ("cash-flow", "Cash flow (kassaflödesanalys)", ["cash_flow."]),
        ("notes", "Notes: income and costs (noter)", ["income.", "costs.", "receivables.", "accrued_liabilities."]),
        ("interventions", "Interventions (insatser)", ["intervention."]),
        ("participants", "Participants (deltagare)", ["participants."]),
        ("ratios", "Key ratios and organisation", ["ratio.", "organisation."]),
    ]

    func statements() -> String {
        let flagged = Set(document.warnings.flatMap(\.facts))
        var out = "<section id=\"figures\" aria-labelledby=\"figures-h\">\n<h2 id=\"figures-h\">Extracted figures</h2>\n"
        var sections: [(id: String, title: String, values: [ConsolidatedValue])] = []
        for group in Self.groups {
            let values = report.values.filter { v in group.prefixes.contains { v.concept.hasPrefix($0) } }
            if !values.isEmpty { sections.append((group.id, group.title, values)) }
        }
        let known = Set(Self.groups.flatMap(\.prefixes))
        let rest = report.values.filter { v in !known.contains { v.concept.hasPrefix($0) } }
        if !rest.isEmpty { sections.append(("other", "Other figures", rest)) }
        if sections.isEmpty {
            return out + "<p class=\"none\">No figures were extracted.</p>\n</section>\n"
        }
        out += "<nav class=\"toc\" aria-label=\"Statements\"><ul>"
            + sections.map { "<li><a href=\"#\($0.id)\">\(HTML.escape($0.title))</a></li>" }.joined() + "</ul></nav>\n"
        for section in sections {
            out += "<section id=\"\(section.id)\" class=\"statement\">\n<h3>\(HTML.escape(section.title))</h3>\n"
            out += table(section.values, flagged: flagged)
            out += "</section>\n"
        }
        return out + "</section>\n"
    }

    struct ColumnKey: Hashable { var period: Period; var scenario: Fact.Scenario }

    /// One row per concept and dims, one column per period and scenario.
    func table(_ values: [ConsolidatedValue], flagged: Set<String>) -> String {
        let facts = context.facts[sha] ?? [:]
        func order(_ v: ConsolidatedValue) -> (Int, Double) {
            guard let f = v.facts.first.flatMap({ facts[$0] }) else { return (Int.max, 0) }
            return (f.source.page, f.source.bbox?.y0 ?? 0)
        }
        struct RowKey: Hashable { var concept: String; var dims: [String: String] }
        var rows: [RowKey] = []
        var cells: [RowKey: [ColumnKey: ConsolidatedValue]] = [:]
        for value in values.sorted(by: { order($0) < order($1) }) {
            let key = RowKey(concept: value.concept, dims: value.dims)
            if cells[key] == nil { rows.append(key) }
            cells[key, default: [:]][ColumnKey(period: value.period, scenario: value.scenario)] = value
        }
        let columns = Set(values.map { ColumnKey(period: $0.period, scenario: $0.scenario) }).sorted { a, b in
            let ea = Self.end(a.period), eb = Self.end(b.period)
            if ea != eb { return ea > eb }
            if Self.scenarioRank(a.scenario) != Self.scenarioRank(b.scenario) {
                return Self.scenarioRank(a.scenario) < Self.scenarioRank(b.scenario)
            }
            return a.period.description < b.period.description
        }
        var out = "<div class=\"scroll\"><table class=\"figures\">\n<thead><tr><th scope=\"col\">Row</th>"
        for column in columns {
            let scenario = column.scenario == .actual ? "" : "<br><span class=\"scenario\">\(column.scenario.rawValue.replacingOccurrences(of: "_", with: " "))</span>"
            out += "<th scope=\"col\" class=\"num\">\(HTML.escape(HTML.period(column.period)))\(scenario)</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            let first = cells[row]!.values.first!
            let printed = first.facts.first.flatMap { facts[$0]?.source.row }
            let dims = row.dims.keys.sorted().map { "\($0): \(row.dims[$0]!)" }.joined(separator: ", ")
            var label = HTML.escape(printed ?? row.concept)
            if !dims.isEmpty, printed == nil || !dims.contains(printed!) {
                label += " <span class=\"dims\">\(HTML.escape(dims))</span>"
            }
            out += "<tr><th scope=\"row\">\(label)<br><code class=\"concept\">\(HTML.escape(row.concept))</code></th>"
            for column in columns {
                guard let value = cells[row]![column] else { out += "<td></td>"; continue }
                out += cell(value, facts: facts, flagged: flagged)
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    func cell(_ value: ConsolidatedValue, facts: [String: Fact], flagged: Set<String>) -> String {
        let number = HTML.number(value.value, unit: value.unit)
        let isFlagged = !value.agreed || value.facts.contains { flagged.contains($0) }
        let classes = "num" + (isFlagged ? " flagged" : "") + (value.confidence < 0.9 ? " low" : "")
        guard let id = value.facts.first, let fact = facts[id] else {
            return "<td class=\"\(classes)\">\(number)</td>"
        }
        var title = "p. \(fact.source.page): printed \(fact.source.text)"
        if value.facts.count > 1 { title += "; \(value.facts.count) printings" + (value.agreed ? ", agreeing" : ", disagreeing") }
        if value.confidence < 0.9 { title += "; OCR confidence \(Int((value.confidence * 100).rounded())) %" }
        let mark = isFlagged ? "<span class=\"mark\" aria-label=\"flagged\">\u{26A0}\u{FE0E}</span> " : ""
        let href = context.rendered[sha] == nil ? nil : context.pageViewPath(sha, page: fact.source.page) + "#\(fact.id)"
        let body = href.map { "<a href=\"\(HTML.escape($0))\" title=\"\(HTML.escape(title))\">\(number)</a>" }
            ?? "<span title=\"\(HTML.escape(title))\">\(number)</span>"
        return "<td class=\"\(classes)\">\(mark)\(body)</td>"
    }

    static func end(_ period: Period) -> String {
        switch period {
        case .instant(let d): "\(d)"
        case .span(_, let e): "\(e)"
        }
    }

    static func scenarioRank(_ s: Fact.Scenario) -> Int {
        switch s {
        case .actual: 0
        case .budget: 1
        case .annualBudget: 2
        case .deviation: 3
        case .forecast: 4
        }
    }
}
