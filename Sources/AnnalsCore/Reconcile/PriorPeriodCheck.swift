import Foundation

/// Compares each report's comparison column (the prior year it reprints)
/// with the earlier report's own figures for that year.
///
/// A later report restating a year differently is common (a correction, a
/// typo, a merged federation's figures re-keyed) and is exactly what an
/// analyst building a series must know: every difference becomes a
/// `prior_period_mismatch` warning naming both numbers and both places.
public struct PriorPeriodCheck: Sendable {
    /// A report of the archive, as the check needs it.
    public struct Report: Sendable {
        public var id: String
        public var file: String
        public var organisation: String
        public var period: Period
        /// Pages read by OCR: of two reports for one period (a born-digital
        /// file and its scan), the one with fewer speaks for the period.
        public var ocrPages: Int

        public init(id: String, file: String, organisation: String, period: Period, ocrPages: Int = 0) {
            self.id = id
            self.file = file
            self.organisation = organisation
            self.period = period
            self.ocrPages = ocrPages
        }
    }

    /// One printed or consolidated figure, with where it stands.
    public struct Figure: Sendable {
        public var concept: String
        public var dims: String
        public var period: Period
        public var value: Decimal
        public var rounding: Decimal
        public var place: String
        public var page: Int?
        public var factID: String?

        public init(concept: String, dims: String, period: Period, value: Decimal, rounding: Decimal = 0,
                    place: String, page: Int?, factID: String?) {
            self.concept = concept
            self.dims = dims
            self.period = period
            self.value = value
            self.rounding = rounding
            self.place = place
            self.page = page
            self.factID = factID
        }
    }

    /// Normalised organisation name → the series it belongs to.
    public var series: [String: String]

    /// - Parameter merged: for each organisation, the ones merged into it.
    public init(merged: [String: [String]] = [:]) {
        var series: [String: String] = [:]
        for (successor, predecessors) in merged.sorted(by: { $0.key < $1.key }) {
            for predecessor in predecessors { series[Self.normalise(predecessor)] = Self.normalise(successor) }
        }
        self.series = series
    }

    /// `Samordningsförbundet Södra Norrbotten` and `SAMORDNINGSFÖRBUNDET SÖDRA NORRBOTTEN` alike.
    public static func normalise(_ name: String) -> String {
        normalise(folded: foldedLatin1(name) ?? name.folding(options: folding, locale: nil))
    }

    /// The same, folded by Foundation whatever the name (for the tests).
    static func normaliseByFoundation(_ name: String) -> String {
        normalise(folded: name.folding(options: folding, locale: nil))
    }

    private static let folding: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive, .widthInsensitive]

    private static func normalise(folded: String) -> String {
        var text = folded
        for word in ["samordningsforbundet", "samordningsforbund", "finsam", "forbundet"] {
            text = text.replacingOccurrences(of: word, with: " ")
        }
        return text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    /// A name in ASCII and Latin-1 letters folded as `folding` folds it
    /// (lower case, accents dropped; ø, æ, ð and þ have none to drop), without
    /// Foundation's first call into ICU, which the batch's last step waited
    /// for; nil for anything else (ß becomes "ss" there, and other scripts).
    static func foldedLatin1(_ name: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A: out.append(UInt8(v + 0x20))
            case 0x00...0x7F: out.append(UInt8(v))
            case 0xC0...0xFF:
                guard let base = latin1Base[Int(v - 0xC0)] else {
                    // ø æ ð þ (and their capitals, lower-cased) stay letters of their own.
                    guard let lower = latin1Lower[Int(v - 0xC0)] else { return nil }
                    out.append(contentsOf: String(lower).utf8)
                    continue
                }
                out.append(base)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The base letter of À…ÿ, lower case; nil where there is none (× ÷ and
    /// the letters without accents).
    private static let latin1Base: [UInt8?] = {
        let table = "aaaaaaæceeeeiiiiðnooooo×øuuuuyþßaaaaaaæceeeeiiiiðnooooo÷øuuuuyþy"
        return table.unicodeScalars.map { $0.isASCII ? UInt8($0.value) : nil }
    }()

    /// Latin-1 letters without a base letter, lower-cased; nil for ×, ÷ and ß.
    private static let latin1Lower: [Unicode.Scalar?] = (0xC0...0xFF).map { v -> Unicode.Scalar? in
        switch v {
        case 0xC6, 0xE6: "\u{E6}"
        case 0xD0, 0xF0: "\u{F0}"
        case 0xD8, 0xF8: "\u{F8}"
        case 0xDE, 0xFE: "\u{FE}"
        default: nil
        }
    }

    public func seriesName(of organisation: String) -> String {
        let name = Self.normalise(organisation)
        var seen: Set<String> = [name]
        var current = name
        while let next = series[current], seen.insert(next).inserted { current = next }
        return current
    }

    /// The pairs to compare: an earlier report and a later one of the same series.
    public func pairs(_ reports: [Report]) -> [(earlier: Report, later: Report)] {
        var result: [(Report, Report)] = []
        // Each organisation's series named once (normalising a name folds it).
        var names: [String: String] = [:]
        for report in reports where names[report.organisation] == nil {
            names[report.organisation] = seriesName(of: report.organisation)
        }
        func seriesName(of organisation: String) -> String { names[organisation] ?? self.seriesName(of: organisation) }
        // One voice per series and period, or each restatement is reported once per copy.
        var best: [String: Report] = [:]
        for report in reports {
            let key = "\(seriesName(of: report.organisation))|\(report.period)"
            if let other = best[key], (other.ocrPages, other.file) <= (report.ocrPages, report.file) { continue }
            best[key] = report
        }
        for earlier in best.values {
            for later in reports where later.id != earlier.id
                && Self.end(of: later.period) > Self.end(of: earlier.period)
                && seriesName(of: later.organisation) == seriesName(of: earlier.organisation) {
                result.append((earlier, later))
            }
        }
        return result.sorted { ($0.0.file, $0.1.file) < ($1.0.file, $1.1.file) }
    }

    /// The periods of `earlier`'s own current figures: its span, and its closing day for stocks.
    public static func ownPeriods(of earlier: Report) -> [Period] {
        switch earlier.period {
        case .span(_, let end): [earlier.period, .instant(end)]
        case .instant: [earlier.period]
        }
    }

    static func end(of period: Period) -> Day {
        switch period {
        case .span(_, let e): e
        case .instant(let d): d
        }
    }

    /// The warnings for one pair: `own` are the earlier report's consolidated
    /// values for its own periods, `restated` the later report's facts for the
    /// same keys. One warning per distinct restated value of a key.
    public func mismatches(earlier: Report, own: [Figure], later: Report, restated: [Figure]) -> [ReportWarning] {
        /// A figure's key without its value: what the two reports must agree on.
        struct Key: Hashable { var concept: String, dims: String, period: Period }
        /// A restated value: each distinct one is a warning of its own.
        struct Restatement: Hashable { var key: Key, value: String }
        var index: [Key: Figure] = [:]
        index.reserveCapacity(own.count)
        for figure in own {
            let key = Key(concept: figure.concept, dims: figure.dims, period: figure.period)
            if index[key] == nil { index[key] = figure }
        }
        var groups: [Restatement: [Figure]] = [:]
        groups.reserveCapacity(restated.count)
        for figure in restated {
            let key = Key(concept: figure.concept, dims: figure.dims, period: figure.period)
            // Only keys the earlier report has can differ from it.
            guard index[key] != nil else { continue }
            groups[Restatement(key: key, value: "\(figure.value)"), default: []].append(figure)
        }
        // A report's figures share a handful of periods: each written once.
        var periods: [Period: String] = [:]
        func text(_ period: Period) -> String {
            if let known = periods[period] { return known }
            let made = "\(period)"
            periods[period] = made
            return made
        }
        var warnings: [(order: String, warning: ReportWarning)] = []
        for (restatement, figures) in groups {
            let first = figures[0], original = index[restatement.key]!
            let slack = max(first.rounding, original.rounding)
            let difference = first.value - original.value
            guard abs(difference) > slack else { continue }
            let dims = first.dims == "{}" ? "" : " \(first.dims)"
            let places = figures.map(\.place).joined(separator: " and ")
            let message = "\(later.file): \(places) restates \(first.concept)\(dims), \(first.period) as "
                + "\(SwedishNumberFormat.format(first.value)) but \(earlier.file), the report for that period, "
                + "says \(SwedishNumberFormat.format(original.value)) in \(original.place) "
                + "(difference \(SwedishNumberFormat.format(difference)))"
            let order = "\(first.concept)|\(first.dims)|\(text(first.period))|\(restatement.value)"
            warnings.append((order, ReportWarning(
                code: "prior_period_mismatch", severity: .warning, message: message, concept: first.concept,
                period: first.period, expected: original.value, actual: first.value,
                facts: figures.compactMap(\.factID), pages: figures.compactMap(\.page),
                related: .init(sha256: earlier.id, file: earlier.file, facts: original.factID.map { [$0] } ?? [],
                               pages: original.page.map { [$0] } ?? []))))
        }
        // In the order of their keys as text, as they always were.
        return warnings.sorted { $0.order < $1.order }.map(\.warning)
    }
}
