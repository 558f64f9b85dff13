import Foundation

/// The whole pipeline for one PDF: text layer, tables, layout, facts, values
/// and warnings, in the shape of the output contract.
public struct ReportExtraction: Sendable {
    public var mappings: [Mapping]
    /// Force a layout by id instead of choosing one.
    public var layout: String?
    public var tableSettings = TableSettings()
    /// How pages without a usable text layer are read.
    public var ocr = OCRReader()

    public init(mappings: [Mapping], layout: String? = nil) {
        self.mappings = mappings
        self.layout = layout
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case pdf(PDFError)
        case ocr(OCRError)
        case unknownLayout(String, known: [String])
        case noMappings

        public var description: String {
            switch self {
            case .pdf(let error): error.description
            case .ocr(let error): error.description
            case .unknownLayout(let id, let known):
                "error: no mapping has the id \"\(id)\"; known layouts: \(known.joined(separator: ", ")). Run `annals layouts` to list them."
            case .noMappings: "error: no mappings were loaded; point --mappings at the folder of mapping files (mappings/)."
            }
        }
    }

    public func run(file url: URL) throws(Failure) -> Report {
        guard !mappings.isEmpty else { throw .noMappings }
        let document: PDFDocument
        let textLayer: [PageText]
        do {
            document = try PDFDocument(contentsOf: url)
            textLayer = try (1...document.pageCount).map { n throws(PDFError) in try document.text(ofPage: n) }
        } catch { throw .pdf(error) }
        let pages: [PageText]
        let ocrPages: [Int]
        do {
            (pages, ocrPages) = try ocr.read(url, textPages: textLayer)
        } catch let error as OCRError {
            throw .ocr(error)
        } catch let error as PDFError {
            throw .pdf(error)
        } catch {
            throw .pdf(.damaged(file: url.relativePath, reason: "\(error)"))
        }
        let data = (try? Data(contentsOf: url, options: .mappedIfSafe)) ?? Data()

        let identity = ReportIdentity.detect(in: pages)
        let scores = LayoutSelector(mappings: mappings).scores(pages: pages, identity: identity)
        let chosen: LayoutSelector.Score
        if let layout {
            guard let forced = scores.first(where: { $0.mapping.id == layout }) else {
                throw .unknownLayout(layout, known: mappings.map(\.id).sorted())
            }
            chosen = forced
        } else {
            chosen = scores[0]
        }
        let mapping = chosen.mapping
        let tables = TableDetector(settings: tableSettings).tables(in: pages)
        let paragraphs = ProseReader().paragraphs(in: pages, excluding: tables)
        let extracted = Extractor(mapping: mapping, identity: identity).extract(tables: tables, paragraphs: paragraphs)

        // Repairs a table's own totals prove come first, so every check sees them.
        let reconciler = Reconciler(tolerance: mapping.tolerance)
        var facts = extracted.facts
        var (repairs, unresolved) = reconciler.repairing(facts: &facts, tables: extracted.tables)
        let sourceByRule = Dictionary(mapping.tables.map { ("\(mapping.id):\($0.id)", $0.source) }, uniquingKeysWith: { a, _ in a })
        let consolidation = Consolidation(precedence: mapping.precedence, tolerance: mapping.tolerance)
        func check(_ facts: [Fact]) -> (values: [ConsolidatedValue], warnings: [ReportWarning]) {
            var facts = facts
            let (values, mismatches) = consolidation.consolidate(facts) { fact in
                fact.source.rule.flatMap { sourceByRule[$0] } ?? "prose"
            }
            return (values, mismatches + reconciler.reconcile(facts: &facts, tables: extracted.tables, values: values))
        }
        var (values, checks) = check(facts)
        // Then readings the statement identities prove: a figure whose errors
        // all go away, and no new error comes, when read with its column's
        // decimals (OCR's `1130` for 113,0 in a one-decimal tkr statement).
        for candidate in unresolved {
            guard let i = facts.firstIndex(where: { $0.id == candidate.fact }) else { continue }
            let involved = checks.filter { $0.severity == .error && $0.facts.contains(candidate.fact) }
            guard !involved.isEmpty else { continue }
            var trial = facts
            trial[i].value = candidate.reading
            let (trialValues, trialChecks) = check(trial)
            let errors = { (w: [ReportWarning]) in w.filter { $0.severity == .error }.count }
            guard !trialChecks.contains(where: { $0.severity == .error && $0.facts.contains(candidate.fact) }),
                  errors(trialChecks) < errors(checks) else { continue }
            trial[i].confidence = 0.6
            facts = trial
            (values, checks) = (trialValues, trialChecks)
            repairs.removeAll { $0 == candidate.warning }
            repairs.append(ReportWarning(
                code: "suspicious_number", severity: .warning,
                message: "\(Reconciler.place(facts[i])): printed \u{201C}\(candidate.printed)\u{201D}, read as \(SwedishNumberFormat.format(candidate.reading)) kr because then \(involved.map(\.code).joined(separator: ", ")) hold\(involved.count == 1 ? "s" : ""): \(involved.map(\.message).joined(separator: "; "))",
                concept: facts[i].concept, period: facts[i].period, expected: candidate.reading, actual: extracted.facts[i].value,
                facts: [candidate.fact], pages: [facts[i].source.page]))
        }
        let ocrNotes = ocrPages.map { number -> ReportWarning in
            let words = pages.first { $0.number == number }?.words ?? []
            let confidence = words.isEmpty ? 0 : words.compactMap(\.confidence).reduce(0, +) / Double(words.count)
            return ReportWarning(code: "ocr_page", severity: .info,
                                 message: "Page \(number) has no usable text layer; read by OCR (tesseract, \(ocr.language), \(Int(ocr.dpi)) dpi): \(words.count) words, mean confidence \(Int((confidence * 100).rounded())) %",
                                 pages: [number])
        }
        var warnings = extracted.warnings + repairs + checks + missingStatements(facts, identity: identity) + ocrNotes
        warnings.sort { $0.severity < $1.severity }

        let textPages = pages.filter { !$0.words.isEmpty && !ocrPages.contains($0.number) }.map(\.number)
        return Report(
            source: .init(file: url.relativePath, sha256: SHA256.hex(of: data), pages: pages.count,
                          textPages: textPages, ocrPages: ocrPages, emptyPages: pages.filter { $0.words.isEmpty }.map(\.number)),
            layout: .init(id: mapping.id, score: chosen.score,
                          candidates: scores.filter { $0.mapping.id != mapping.id }.map { .init(id: $0.mapping.id, score: $0.score) }),
            organisation: .init(name: Self.organisation(in: pages)),
            report: .init(type: identity?.kind, period: identity?.period),
            facts: facts, values: values, tables: extracted.tables, warnings: warnings)
    }

    /// A statement the report should have but no rule found facts for.
    func missingStatements(_ facts: [Fact], identity: ReportIdentity?) -> [ReportWarning] {
        let statements: [(prefix: String, name: String, annualOnly: Bool)] = [
            ("income_statement.", "income statement (Resultaträkning)", false),
            ("balance_sheet.", "balance sheet (Balansräkning)", false),
            ("cash_flow.", "cash flow statement (Kassaflödesanalys)", true),
        ]
        return statements.compactMap { statement in
            guard !facts.contains(where: { $0.concept.hasPrefix(statement.prefix) }) else { return nil }
            let interim = identity?.kind == .interim
            if statement.annualOnly && interim { return nil }
            return ReportWarning(code: "missing_statement", severity: .warning,
                                 message: "No \(statement.name) was found: no \(statement.prefix)* facts. Check `annals inspect --tables` for the table and the mapping's title patterns.")
        }
    }

    /// The federation's name: from the running header when the report has
    /// one ("Samordningsförbundet Pyramis · Årsredovisning 2019"), else from the
    /// cover ("SAMORDNINGSFÖRBUNDET" / "PYRAMIS" / "LULEÅ").
    static func organisation(in pages: [PageText]) -> String? {
        var tops: [String: Int] = [:]
        let sample = pages.dropFirst().prefix(8)
        for page in sample {
            if let first = page.lines().first, first.box.y1 < 0.08 * page.height { tops[first.text, default: 0] += 1 }
        }
        if let (header, count) = tops.max(by: { $0.value < $1.value }), count * 2 >= sample.count, count >= 2,
           let name = name(from: header.split(separator: " ").map(String.init)) {
            return name
        }
        guard let cover = pages.first else { return nil }
        let lines = cover.lines()
        for (i, line) in lines.enumerated() {
            var words = line.words.map(\.text)
            guard let first = words.first, LabelText.normalize(first, foldDiacritics: true).hasPrefix("samordningsforbundet") else { continue }
            // A name set one word a line on the cover: take the lines below in the same type.
            let size = line.words.first?.fontSize
            var next = i + 1
            while words.count < 4, next < lines.count, lines[next].words.first?.fontSize == size, lines[next].words.count <= 2 {
                words += lines[next].words.map(\.text)
                next += 1
            }
            if let name = name(from: words) { return name }
        }
        return nil
    }

    /// "Samordningsförbundet X Y" from the words of a line, up to a separator
    /// or the report's own title; capitals are set in title case.
    static func name(from words: [String]) -> String? {
        guard let start = words.firstIndex(where: { LabelText.normalize($0, foldDiacritics: true).hasPrefix("samordningsforbundet") })
        else { return nil }
        var name = Array(words[start...].prefix { word in
            let lower = word.lowercased()
            return !"·|–-".contains(word) && !(word.first?.isNumber ?? false) && !lower.hasPrefix("årsredovisning")
                && !lower.hasPrefix("delårs") && !lower.hasPrefix("halvårs")
        }.prefix(5))
        guard name.count >= 2 else { return nil }
        if name.allSatisfy({ $0 == $0.uppercased() }) {
            name = name.map { $0.prefix(1) + $0.dropFirst().lowercased() }
        }
        return name.joined(separator: " ").trimmingCharacters(in: .punctuationCharacters)
    }
}
