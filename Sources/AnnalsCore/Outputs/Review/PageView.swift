import Foundation

/// One rendered page with every figure read from it outlined: where a
/// value's link lands, the figure named in the link picked out.
struct PageView {
    let document: ReviewSite.Document
    let page: Int
    let previous: Int?
    let next: Int?
    let context: ReviewSite.Context

    func html() -> String {
        let report = document.report
        let sha = report.source.sha256
        let slug = context.slugs[sha] ?? ""
        let facts = report.facts.filter { $0.source.page == page }
        let flagged = Set(document.warnings.flatMap(\.facts))
        let image = context.image(sha, page: page)!
        let c = HTML.coordinate
        let title = "p. \(page) \u{2013} " + ReportPage.title(of: report)
        var out = Assets.head(title: title, stylesheet: "../style.css")
        let ocr = report.source.ocrPages.contains(page) ? " <span class=\"badge info\">read by OCR</span>" : ""
        out += """
            <body class="pageview">
            <a class="skip" href="#figures-on-page">Skip to the figures on this page</a>
            <header class="top">
            <nav class="crumbs"><a href="../index.html">All reports</a> \u{203A} <a href="../\(HTML.escape(slug)).html">\(HTML.escape(ReportPage.title(of: report)))</a></nav>
            <h1>Page \(page) <span class="kind">of \(report.source.pages)</span>\(ocr)</h1>
            <nav class="pager" aria-label="Pages">\(link(previous, rel: "prev", text: "\u{2190} p. \(previous ?? 0)"))\(link(next, rel: "next", text: "p. \(next ?? 0) \u{2192}"))</nav>
            </header>
            <main>
            <figure class="crop zoom" id="zoom" hidden data-width="\(c(image.width))" data-height="\(c(image.height))"><svg viewBox="0 0 \(c(image.width)) \(c(image.height))" role="img" aria-label="The linked figure, enlarged"><image href="p\(page).png" x="0" y="0" width="\(c(image.width))" height="\(c(image.height))" preserveAspectRatio="none"/><rect class="hl" x="0" y="0" width="0" height="0" rx="2"/></svg><figcaption></figcaption></figure>
            <div class="split">
            <div class="page-image"><svg viewBox="0 0 \(c(image.width)) \(c(image.height))" role="img" aria-label="Page \(page) with \(facts.count) figures outlined"><image href="p\(page).png" x="0" y="0" width="\(c(image.width))" height="\(c(image.height))"/>

            """
        for fact in facts {
            guard let box = fact.source.bbox else { continue }
            let cls = flagged.contains(fact.id) ? "fact flagged" : "fact"
            out += "<a href=\"#\(fact.id)\"><rect id=\"\(fact.id)\" class=\"\(cls)\" x=\"\(c(box.x0 - 1.5))\" y=\"\(c(box.y0 - 1.5))\" width=\"\(c(box.x1 - box.x0 + 3))\" height=\"\(c(box.y1 - box.y0 + 3))\"><title>\(HTML.escape(describe(fact)))</title></rect></a>\n"
        }
        out += "</svg></div>\n<section id=\"figures-on-page\" aria-labelledby=\"fop-h\"><h2 id=\"fop-h\">Figures on this page <span class=\"n\">\(facts.count)</span></h2>\n"
        if facts.isEmpty {
            out += "<p class=\"none\">No figure was read from this page; a warning names it.</p>\n"
        } else {
            out += "<div class=\"scroll\"><table class=\"figures compact\"><thead><tr><th scope=\"col\" class=\"num\">Printed</th><th scope=\"col\">Row and concept</th><th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">Value</th></tr></thead><tbody>\n"
            for fact in facts {
                let cls = flagged.contains(fact.id) ? " class=\"flagged\"" : ""
                let scenario = fact.scenario == .actual ? "" : "<br><span class=\"scenario\">\(fact.scenario.rawValue.replacingOccurrences(of: "_", with: " "))</span>"
                out += "<tr\(cls)><td class=\"num\"><a href=\"#\(fact.id)\">\(HTML.escape(fact.source.text))</a></td><td>\(HTML.escape(fact.source.row ?? ""))<br><code class=\"concept\">\(HTML.escape(fact.concept))</code></td><td class=\"period\">\(HTML.escape(HTML.period(fact.period)))\(scenario)</td><td class=\"num\">\(HTML.number(fact.value, unit: fact.unit))</td></tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        out += """
            </section>
            </div>
            </main>
            <footer><p>Keys: <kbd>\u{2190}</kbd>/<kbd>\u{2192}</kbd> previous/next page. Outlined red: a figure a warning names.</p></footer>
            <script src="../review.js"></script>
            </body>
            </html>

            """
        return out
    }

    func link(_ page: Int?, rel: String, text: String) -> String {
        guard let page else { return "<span class=\"disabled\">\(rel == "prev" ? "first page shown" : "last page shown")</span>" }
        return "<a rel=\"\(rel)\" href=\"p\(page).html\">\(HTML.escape(text))</a>"
    }

    func describe(_ fact: Fact) -> String {
        var parts = (fact.source.row.map { [$0] } ?? []) + [fact.concept, HTML.period(fact.period)]
        if fact.scenario != .actual { parts.append(fact.scenario.rawValue) }
        if !fact.dims.isEmpty { parts.append(fact.dims.keys.sorted().map { "\($0): \(fact.dims[$0]!)" }.joined(separator: ", ")) }
        parts.append("printed \(fact.source.text)")
        return parts.joined(separator: " \u{00B7} ")
    }
}
