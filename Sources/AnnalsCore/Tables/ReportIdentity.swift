/// What a report says it is: an annual report (årsredovisning) or an interim
/// report (delårsrapport, delårsbokslut, halvårsrapport), and for which period,
/// read from its cover and first headings.
public struct ReportIdentity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case annual, interim
    }

    public var kind: Kind
    public var period: Period
    /// The words that said so, and where.
    public var evidence: String
    public var page: Int

    /// Reads the report's kind and period from its first pages.
    ///
    /// The largest type on the first pages is read first (the cover), then
    /// the rest; an interim report takes its span from a printed date range
    /// (`2020-01-01 – 2020-06-30`, `20200101–20200630`, `januari–juni 2020`)
    /// or a closing date (`per 2020-06-30`); an annual report is its year.
    public static func detect(in pages: [PageText], lookingAt count: Int = 3) -> ReportIdentity? {
        let lines = pages.prefix(count).flatMap { page in
            page.lines().map { (page: page.number, text: $0.text, size: $0.words.compactMap(\.fontSize).max() ?? 0) }
        }
        // Cover lines first: bigger type says what the document is.
        let ordered = lines.enumerated().sorted { a, b in
            a.element.size != b.element.size ? a.element.size > b.element.size : a.offset < b.offset
        }.map(\.element)

        for line in ordered {
            let lower = line.text.lowercased()
            if let kind = kind(in: lower) {
                switch kind {
                case .interim:
                    // The span is often on its own line near the title.
                    let nearby = lines.filter { $0.page == line.page }.map(\.text)
                    for text in [line.text] + nearby {
                        let heading = ColumnHeading(parsing: text)
                        if case .span(let s, let e)? = heading.reference, s.year == e.year {
                            return ReportIdentity(kind: .interim, period: .span(start: s, end: e), evidence: text, page: line.page)
                        }
                    }
                    for text in [line.text] + nearby {
                        if case .date(let d)? = ColumnHeading(parsing: text).reference, let s = Day.first(of: d.year) {
                            return ReportIdentity(kind: .interim, period: .span(start: s, end: d), evidence: text, page: line.page)
                        }
                    }
                case .annual:
                    if case .year(let y)? = ColumnHeading(parsing: line.text).reference, let period = Period.year(y) {
                        return ReportIdentity(kind: .annual, period: period, evidence: line.text, page: line.page)
                    }
                    let nearby = lines.filter { $0.page == line.page }.map(\.text)
                    for text in nearby {
                        if case .year(let y)? = ColumnHeading(parsing: text).reference, let period = Period.year(y),
                           text.split(separator: " ").count <= 4 {
                            return ReportIdentity(kind: .annual, period: period, evidence: "\(line.text) / \(text)", page: line.page)
                        }
                    }
                }
            }
        }
        return nil
    }

    static func kind(in lower: String) -> Kind? {
        let words = lower.split { !$0.isLetter }.map(String.init)
        if words.contains(where: { $0.hasPrefix("delårs") || $0.hasPrefix("halvårs") || $0 == "delår" || $0.hasPrefix("tertial") }) {
            return .interim
        }
        if words.contains(where: { $0 == "årsredovisning" || $0 == "årsredovisningen" || $0 == "verksamhetsberättelse" || $0 == "årsbokslut" }) {
            return .annual
        }
        return nil
    }
}
