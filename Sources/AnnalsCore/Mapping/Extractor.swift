import Foundation

/// Applies a mapping to a document's tables and prose: the facts, which
/// tables a rule claimed, and the warnings found on the way.
public struct Extractor: Sendable {
    public var mapping: Mapping
    public var identity: ReportIdentity?

    public init(mapping: Mapping, identity: ReportIdentity?) {
        self.mapping = mapping
        self.identity = identity
    }

    public struct Result: Sendable {
        public var facts: [Fact]
        public var tables: [Table]
        public var warnings: [ReportWarning]
    }

    public func extract(tables: [Table], paragraphs: [Paragraph]) -> Result {
        var facts: [Fact] = []
        var claimed = tables
        var warnings: [ReportWarning] = []
        for (index, table) in tables.enumerated() {
            guard let rule = rule(for: table) else {
                claimed[index].mapped = false
                continue
            }
            claimed[index].mapped = true
            facts += self.facts(from: table, rule: rule, startingAt: facts.count)
        }
        facts += proseFacts(paragraphs, startingAt: facts.count)
        for table in claimed where table.mapped == false && table.rows.contains(where: { row in
            row.cells.contains { $0?.value.kind == .number } }) {
            warnings.append(ReportWarning(
                code: "unmapped_table", severity: .info,
                message: "Table \u{201C}\(table.title ?? table.labelHeader ?? "untitled")\u{201D} on page \(table.page) (\(table.rows.count) rows, \(table.columns.count) columns) matched no rule of mapping \(mapping.id); its figures are not facts.",
                pages: table.pages))
        }
        return Result(facts: facts, tables: claimed, warnings: warnings)
    }

    // MARK: - Tables

    /// The first table rule whose title patterns match the table's title;
    /// failing that, its label header; failing that, the heading it stands
    /// under (a title beats any heading, so a cost table under the income
    /// note's heading is still the cost table).
    func rule(for table: Table) -> Mapping.TableRule? {
        for name in [table.title, table.labelHeader, table.section].compactMap({ $0 }) {
            if let rule = mapping.tables.first(where: { rule in
                rule.titles.contains { $0.match(name, foldDiacritics: mapping.foldDiacritics) != nil }
            }) {
                return rule
            }
        }
        return nil
    }

    struct ResolvedColumn {
        var skip: Bool
        var scenario: Fact.Scenario
        var heading: ColumnHeading
        var periodReference: String?
        var concept: String?
        var dims: [String: String]
        var header: String
    }

    func resolveColumns(_ table: Table, rule: Mapping.TableRule) -> [ResolvedColumn] {
        var resolved: [ResolvedColumn] = []
        for (i, column) in table.columns.enumerated() {
            let applying = rule.columns.filter { c in
                c.index == i + 1 || c.headers.contains { $0.match(column.header, foldDiacritics: mapping.foldDiacritics) != nil }
            }
            var heading = column.heading
            // A header with no period of its own (`Avvikelse`) shares its
            // neighbour's: the deviation of that period.
            if heading.reference == nil {
                heading.reference = table.columns[..<i].last { $0.heading.reference != nil }?.heading.reference
            }
            resolved.append(ResolvedColumn(
                skip: column.heading.isNoteColumn || applying.contains { $0.skip },
                scenario: applying.compactMap(\.scenario).first ?? heading.scenario.map(Fact.Scenario.init) ?? .actual,
                heading: heading,
                periodReference: applying.compactMap(\.periodReference).first,
                concept: applying.compactMap(\.concept).first,
                dims: applying.reduce(into: [:]) { $0.merge($1.dims) { first, _ in first } },
                header: column.header))
        }
        return resolved
    }

    func period(for column: ResolvedColumn, concept: Concept, override: Concept.PeriodType?) -> Period? {
        let type = override ?? concept.periodType
        var heading = column.heading
        if let reference = column.periodReference {
            let reportPeriod = identity?.period
            switch reference {
            case "report":
                if case .span(let s, let e)? = reportPeriod { heading.reference = .span(start: s, end: e) }
            case "prior":
                if case .span(let s, _)? = reportPeriod { heading.reference = .year(s.year - 1) }
            default:
                if let year = Int(reference) { heading.reference = .year(year) }
            }
        }
        if heading.reference == nil, case .span(let s, let e)? = identity?.period {
            heading.reference = .span(start: s, end: e)
        }
        guard let flow = heading.flowPeriod else { return nil }
        switch type {
        case .flow:
            return flow
        case .stock:
            // Cash at the start of the period is a stock on its first day.
            if concept.name == "cash_flow.cash_at_start", case .span(let s, _) = flow { return .instant(s) }
            return heading.stockPeriod
        }
    }

    func facts(from table: Table, rule: Mapping.TableRule, startingAt first: Int) -> [Fact] {
        let columns = resolveColumns(table, rule: rule)
        let groupDims = groups(for: table, rule: rule)
        var facts: [Fact] = []
        // For rules that count rows: the rows (by index) each rule's labels
        // match, whichever rule finally takes them.
        let matching: [Int: [Int]] = Dictionary(uniqueKeysWithValues: rule.rows.enumerated().compactMap { k, rowRule in
            rowRule.count == nil && rowRule.occurrence == nil ? nil : (k, table.rows.indices.filter { r in
                !table.rows[r].isSection
                    && rowRule.labels.contains { $0.match(table.rows[r].label, foldDiacritics: mapping.foldDiacritics) != nil }
            })
        })
        for (r, row) in table.rows.enumerated() where !row.isSection {
            // The first rule that names the row decides it.
            var chosen: (rule: Mapping.RowRule, captures: [String: String])?
            for (k, rowRule) in rule.rows.enumerated() {
                guard let captures = rowRule.labels.lazy.compactMap({ $0.match(row.label, foldDiacritics: mapping.foldDiacritics) }).first
                else { continue }
                if let wanted = rowRule.occurrence, matching[k]?.firstIndex(of: r).map({ $0 + 1 }) != wanted { continue }
                if let wanted = rowRule.count, matching[k]?.count != wanted { continue }
                chosen = (rowRule, captures)
                break
            }
            guard let (rowRule, captures) = chosen else { continue }
            for (c, column) in columns.enumerated() where !column.skip {
                guard let cell = row.cells[c], cell.value.kind == .number, let printed = cell.value.value else { continue }
                guard let conceptName = column.concept ?? rowRule.concept, var concept = Concept.named(conceptName) else { continue }
                var dims = substitute(rowRule.dims, captures: captures, row: row, table: table)
                    .merging(groupDims[r] ?? [:]) { own, _ in own }
                    .merging(column.dims) { own, _ in own }
                // A count of women or men is its own concept in the contract.
                if let gender = dims["gender"], let named = Self.genderConcepts[concept.name]?[gender],
                   let replacement = Concept.named(named) {
                    concept = replacement
                    dims["gender"] = nil
                }
                guard let period = period(for: column, concept: concept, override: rowRule.period) else { continue }
                var value = printed
                if concept.unit == .sek {
                    value *= (rule.unit ?? table.unit ?? mapping.unit).scale
                    value = value.rounded()
                }
                if concept.unit == .ratio, !cell.value.isPercent, value > 1 { value /= 100 }
                // An outflow is a magnitude; a deviation is a difference and keeps its sign.
                if concept.isOutflow, value < 0, column.scenario != .deviation { value = -value }
                // What a printed figure can hide by rounding: half its last
                // digit, when that digit is worth more than a krona (whole
                // kronor are exact; whole tkr hide up to 500 kr).
                let scale = concept.unit == .sek ? (rule.unit ?? table.unit ?? mapping.unit).scale : 1
                var step = scale
                for _ in 0..<cell.value.decimals { step /= 10 }
                if concept.unit != .sek || step <= 1 { step = 0 }
                facts.append(Fact(
                    id: "f\(first + facts.count + 1)", concept: concept.name, value: value, unit: concept.unit,
                    period: period, scenario: column.scenario, dims: dims,
                    source: .init(page: cell.page, table: table.title ?? table.labelHeader, row: row.label,
                                  column: column.header.isEmpty ? nil : column.header, text: cell.text,
                                  unit: table.unit?.rawValue, bbox: cell.bbox, rule: "\(mapping.id):\(rule.id)",
                                  tableID: table.id, rowIndex: r, columnIndex: c),
                    confidence: cell.value.irregular ? 0.5 : min(0.99, cell.confidence ?? 0.99), rounding: step / 2))
            }
        }
        return facts
    }

    static let genderConcepts: [String: [String: String]] = [
        "participants.total": ["women": "participants.women", "men": "participants.men", "other": "participants.other_gender"],
    ]

    /// Dims given by section rows (`INDIVIDINRIKTADE INSATSER` over its rows)
    /// and by closing totals (`Summa individinriktade insatser` under them).
    func groups(for table: Table, rule: Mapping.TableRule) -> [Int: [String: String]] {
        var result: [Int: [String: String]] = [:]
        var following: [String: String] = [:]
        var openSince = 0
        for (r, row) in table.rows.enumerated() {
            for group in rule.groups where group.labels.contains(where: { $0.match(row.label, foldDiacritics: mapping.foldDiacritics) != nil }) {
                switch group.scope {
                case .following:
                    following = group.dims
                case .preceding:
                    for earlier in openSince...r { result[earlier, default: [:]].merge(group.dims) { own, _ in own } }
                    openSince = r + 1
                }
            }
            if !following.isEmpty { result[r, default: [:]].merge(following) { own, _ in own } }
        }
        return result
    }

    /// Fills `{name}` in dims values from the row's captures, `{label}` with
    /// the row's label and `{section}` with the table's heading; a party is
    /// written with the mapping's canonical spelling.
    func substitute(_ dims: [String: String], captures: [String: String], row: Table.Row, table: Table) -> [String: String] {
        var values = captures
        values["label"] = row.label
        values["section"] = table.section ?? table.title ?? ""
        var out: [String: String] = [:]
        for (key, template) in dims {
            var value = template
            for (name, text) in values { value = value.replacingOccurrences(of: "{\(name)}", with: text) }
            value = value.trimmingCharacters(in: .whitespaces)
            out[key] = key == "party" ? canonicalParty(value) : value
        }
        return out
    }

    func canonicalParty(_ name: String) -> String {
        // In a fixed order, should two parties share a spelling.
        for (canonical, spellings) in mapping.parties.sorted(by: { $0.key < $1.key }) {
            for spelling in spellings + [canonical]
            where LabelText.normalize(spelling, foldDiacritics: true) == LabelText.normalize(name, foldDiacritics: true) {
                return canonical
            }
        }
        return name
    }

    // MARK: - Prose

    func proseFacts(_ paragraphs: [Paragraph], startingAt first: Int) -> [Fact] {
        var facts: [Fact] = []
        guard case .span(let start, let end)? = identity?.period else { return [] }
        // The intervention a paragraph last named, by heading: a later sentence
        // ("10 deltagare har avslutats") speaks of the same one.
        var named: [String: String] = [:]
        for paragraph in paragraphs {
            let heading = paragraph.heading ?? ""
            // Folded (and prepared) once for all the rules that read it.
            var text: LabelPattern.ProseText?
            for rule in mapping.prose {
                if let section = rule.section {
                    guard section.match(heading, foldDiacritics: mapping.foldDiacritics) != nil else { continue }
                }
                if text == nil { text = LabelPattern.ProseText(paragraph.text, foldDiacritics: mapping.foldDiacritics) }
                for match in rule.pattern.matches(in: text!) {
                    var printed: [String: String] = [:]
                    for (name, found) in match {
                        printed[name] = (paragraph.text as NSString).substring(with: found.range)
                    }
                    if let intervention = printed["intervention"] {
                        named[heading] = intervention.trimmingCharacters(in: .whitespaces)
                    }
                    var dims: [String: String] = [:]
                    for (key, template) in rule.dims {
                        var value = template.replacingOccurrences(of: "{section}", with: heading)
                        for (capture, text) in printed { value = value.replacingOccurrences(of: "{\(capture)}", with: text) }
                        if value.contains("{intervention}"), let last = named[heading] {
                            value = value.replacingOccurrences(of: "{intervention}", with: last)
                        }
                        value = value.trimmingCharacters(in: .whitespaces)
                        if !value.isEmpty, !value.contains("{") { dims[key] = value }
                    }
                    // A sentence that names its own period ("under insatstiden 210801–230631").
                    let period = printed["period"].flatMap(LabelPattern.period) ?? .span(start: start, end: end)
                    for (name, capture) in rule.captures.sorted(by: { $0.key < $1.key }) {
                        guard let found = match[name], let count = LabelPattern.count(found.text),
                              let concept = Concept.named(capture.concept) else { continue }
                        facts.append(Fact(
                            id: "f\(first + facts.count + 1)", concept: concept.name, value: Decimal(count), unit: concept.unit,
                            period: period, scenario: .actual,
                            dims: dims.merging(capture.dims) { _, own in own },
                            source: .init(page: paragraph.page, table: paragraph.heading, row: printed["0"],
                                          column: nil, text: printed[name] ?? found.text, unit: nil,
                                          bbox: paragraph.box(of: found.range), rule: "\(mapping.id):\(rule.id)"),
                            confidence: 0.9, rounding: 0))
                    }
                }
            }
        }
        return facts
    }
}

extension Fact.Scenario {
    init(_ scenario: ColumnHeading.Scenario) {
        switch scenario {
        case .actual: self = .actual
        case .budget: self = .budget
        case .annualBudget: self = .annualBudget
        case .deviation: self = .deviation
        case .forecast: self = .forecast
        }
    }
}
