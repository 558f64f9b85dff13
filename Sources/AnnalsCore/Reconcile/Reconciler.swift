import Foundation

/// Checks a report's figures against each other and says, with both numbers
/// and both places, wherever they disagree. It repairs nothing silently: a
/// figure is changed only when a check proves the repair, and then a
/// `suspicious_number` warning tells what was printed and why it was changed.
public struct Reconciler: Sendable {
    /// Kronor within which two whole-kronor figures agree (the mapping's).
    public var tolerance: Decimal

    public init(tolerance: Decimal) {
        self.tolerance = tolerance
    }

    /// Repairs proved by a table's own sums, then every check.
    public func reconcile(facts: inout [Fact], tables: [Table], values: [ConsolidatedValue]) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        let index = FactIndex(facts)
        warnings += tableSums(tables, index: index)
        warnings += noteLinks(tables, index: index)
        warnings += deviations(index: index)
        let book = Book(values: values, facts: facts)
        warnings += balance(book)
        warnings += results(book)
        warnings += cashFlow(book)
        warnings += ratios(book)
        warnings += participants(book)
        warnings += signs(tables, index: index)
        warnings += labels(tables, index: index)
        return Self.unique(warnings)
    }

    static func unique(_ warnings: [ReportWarning]) -> [ReportWarning] {
        var seen = Set<String>()
        return warnings.filter { w in
            let key = "\(w.code)|\(w.concept ?? "")|\(w.period.map { "\($0)" } ?? "")|\(w.expected ?? 0)|\(w.actual ?? 0)|\(w.facts.sorted())"
            return seen.insert(key).inserted
        }
    }

    // MARK: - Repairs a check proves

    /// Figures whose printed shape does not fit their column (a decimal comma
    /// lost in a one-decimal tkr column: `18123` among `2 580,0`; digits broken
    /// by OCR: `12:161;6`), read again with the column's decimals; a reading is
    /// used only when it makes the table's own total add up. Each repair, and
    /// each shape that no check could settle, is a `suspicious_number` warning.
    public func repair(facts: inout [Fact], tables: [Table]) -> [ReportWarning] {
        repairing(facts: &facts, tables: tables).warnings
    }

    /// A figure no table total could settle, with the reading to try against
    /// the statement identities.
    public struct Candidate: Sendable {
        public var fact: String
        public var reading: Decimal
        public var printed: String
        public var warning: ReportWarning
    }

    public func repairing(facts: inout [Fact], tables: [Table]) -> (warnings: [ReportWarning], unresolved: [Candidate]) {
        var unresolved: [Candidate] = []
        var warnings: [ReportWarning] = []
        let index = FactIndex(facts)
        var repaired: [String: (value: Decimal, why: String)] = [:]
        for table in tables where table.mapped == true {
            for (c, column) in table.columns.enumerated() where !column.heading.isNoteColumn {
                let cells = table.rows.enumerated().compactMap { r, row in row.cells[c].map { (r, $0) } }
                let decimals = Self.usualDecimals(cells.map(\.1))
                for (r, cell) in cells where Self.isSuspicious(cell, usualDecimals: decimals) {
                    guard let read = Self.reading(cell, decimals: decimals) else { continue }
                    // A reading that only drops specks is the printed figure: nothing to say.
                    if read == cell.value.value, !cell.text.contains(where: { "-\u{2212}\u{2013}\u{2014}".contains($0) })
                        || (read == cell.value.value && cell.text.filter({ "-\u{2212}\u{2013}\u{2014}".contains($0) }).count < 2) {
                        continue
                    }
                    // The sign of a figure with two dashes is in doubt: try both.
                    let doubtful = cell.text.filter { "-\u{2212}\u{2013}\u{2014}".contains($0) }.count >= 2
                    let readings = doubtful ? [read, -read] : [read]
                    var found: (Decimal, String)?
                    for candidate in readings {
                        if let proof = proves(reading: candidate, row: r, column: c, in: table) { found = (candidate, proof); break }
                    }
                    let reading = found?.0 ?? read
                    let proof = found?.1
                    let fact = index.fact(table: table.id, row: r, column: c)
                    if let proof {
                        if let fact { repaired[fact.id] = (reading, proof) }
                        warnings.append(ReportWarning(
                            code: "suspicious_number", severity: .warning,
                            message: "\(table.title ?? table.id) (p. \(cell.page)) \(table.rows[r].label): printed \u{201C}\(cell.text)\u{201D}, read as \(SwedishNumberFormat.format(reading, decimals: decimals)) because \(proof); the other figures of the column have \(decimals) decimal\(decimals == 1 ? "" : "s")",
                            concept: fact?.concept, period: fact?.period, expected: reading, actual: cell.value.value,
                            facts: fact.map { [$0.id] } ?? [], pages: [cell.page]))
                    } else {
                        let warning = ReportWarning(
                            code: "suspicious_number", severity: .warning,
                            message: "\(table.title ?? table.id) (p. \(cell.page)) \(table.rows[r].label): printed \u{201C}\(cell.text)\u{201D} does not look like the column's other figures (\(decimals) decimals); no check settles how to read it, so it is kept as printed",
                            concept: fact?.concept, period: fact?.period, actual: cell.value.value,
                            facts: fact.map { [$0.id] } ?? [], pages: [cell.page])
                        warnings.append(warning)
                        if let fact, let printed = cell.value.value ?? Optional(0), printed != 0 || cell.value.irregular {
                            let factor = printed != 0 ? fact.value / printed : (table.unit?.scale ?? 1)
                            unresolved.append(Candidate(fact: fact.id, reading: reading * factor, printed: cell.text, warning: warning))
                        }
                    }
                }
            }
        }
        for i in facts.indices {
            guard let (reading, _) = repaired[facts[i].id],
                  let table = tables.first(where: { $0.id == facts[i].source.tableID }),
                  let r = facts[i].source.rowIndex, let c = facts[i].source.columnIndex,
                  let printed = table.rows[r].cells[c]?.value.value, printed != 0 else {
                if let (reading, _) = repaired[facts[i].id] { facts[i].value = reading; facts[i].confidence = 0.6 }
                continue
            }
            // Keep the fact's scale and sign convention: value = printed × factor.
            let factor = facts[i].value / printed
            facts[i].value = reading * factor
            facts[i].confidence = 0.6
        }
        return (warnings, unresolved)
    }

    static func usualDecimals(_ cells: [Table.Cell]) -> Int {
        var counts: [Int: Int] = [:]
        for cell in cells where cell.value.kind == .number { counts[cell.value.decimals, default: 0] += 1 }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }?.key ?? 0
    }

    static func isSuspicious(_ cell: Table.Cell, usualDecimals: Int) -> Bool {
        if cell.value.irregular { return true }
        guard usualDecimals > 0, cell.value.kind == .number, !cell.value.isPercent, cell.value.decimals == 0,
              let value = cell.value.value, value != 0 else { return false }
        // A whole number where the column prints decimals, long enough that
        // the comma may have been lost: 18123 for 1 812,3.
        return cell.text.filter(\.isNumber).count > usualDecimals + 1
    }

    /// The cell's digits read with `decimals` decimals, its sign kept.
    static func reading(_ cell: Table.Cell, decimals: Int) -> Decimal? {
        let lookAlikes: [Character: Character] = ["O": "0", "o": "0", "l": "1", "I": "1", "S": "5"]
        let digits = String(cell.text.compactMap { c -> Character? in
            if c.isASCII && c.isNumber { return c }
            return lookAlikes[c]
        })
        guard !digits.isEmpty, var value = Decimal(string: digits) else { return nil }
        for _ in 0..<decimals { value /= 10 }
        let negative = cell.text.trimmingCharacters(in: .whitespaces).first.map { "-\u{2212}\u{2013}(".contains($0) } ?? false
        return negative ? -value : value
    }

    /// Whether reading row `r`, column `c` as `reading` makes a total of the
    /// table add up that did not: the check that proves the repair.
    func proves(reading: Decimal, row r: Int, column c: Int, in table: Table) -> String? {
        func sums(with override: Decimal?) -> [(total: Int, ok: Bool)] {
            var results: [(Int, Bool)] = []
            var block: [Decimal] = []
            var subtotals: [Decimal] = []
            for (i, row) in table.rows.enumerated() where !row.isSection {
                let value = i == r ? override : row.cells[c]?.value.value
                guard let value else { continue }
                guard row.isTotal else { block.append(value); continue }
                let blockSum = block.reduce(0, +)
                var ok = !block.isEmpty && abs(blockSum - value) <= Decimal(string: "0.05")! * Decimal(max(1, block.count))
                if !ok {
                    for start in stride(from: subtotals.count - 1, through: 0, by: -1)
                    where abs(subtotals[start...].reduce(0, +) + blockSum - value) <= Decimal(string: "0.05")! * Decimal(subtotals.count - start + block.count) {
                        ok = true
                        subtotals.removeSubrange(start...)
                        break
                    }
                }
                results.append((i, ok))
                subtotals.append(value)
                block = []
            }
            return results
        }
        let before = sums(with: table.rows[r].cells[c]?.value.value)
        let after = sums(with: reading)
        for (b, a) in zip(before, after) where !b.ok && a.ok {
            return "with it \(table.rows[a.total].label) (\(table.rows[a.total].cells[c]?.text ?? "")) adds up"
        }
        return nil
    }

    // MARK: - Totals against their rows

    /// Each total row of a mapped table against the rows it closes: the plain
    /// rows since the last total, or the sub-totals since the last grand
    /// total (SUMMA PROJEKT / INSATSER = individual + structural).
    func tableSums(_ tables: [Table], index: FactIndex) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for table in tables where table.mapped == true {
            for (c, column) in table.columns.enumerated() where !column.heading.isNoteColumn {
                var block: [(row: Int, value: Decimal)] = []
                var subtotals: [(row: Int, value: Decimal)] = []
                var decimals = 0
                for (r, row) in table.rows.enumerated() where !row.isSection {
                    // Empty cells and words add nothing.
                    guard let cell = row.cells[c], cell.value.kind == .number, let value = cell.value.value else { continue }
                    decimals = max(decimals, cell.value.decimals)
                    guard row.isTotal else {
                        block.append((r, value))
                        continue
                    }
                    // Rounding: n figures each off by up to half their last digit,
                    // when that digit is worth more than a krona.
                    let scale = Self.scale(of: table, index: index, row: r, column: c)
                    let step = Self.step(decimals)
                    let allowance = { (n: Int) -> Decimal in
                        max(self.tolerance / scale, scale * step > 1 ? step / 2 * Decimal(n) : 0)
                    }
                    let blockSum = block.map(\.value).reduce(0, +)
                    if !block.isEmpty, abs(blockSum - value) <= allowance(block.count) {
                        subtotals.append((r, value))
                        block = []
                        continue
                    }
                    // A grand total: the last sub-totals (and any rows since), which it replaces.
                    var matched: Int?
                    for start in stride(from: subtotals.count - 1, through: 0, by: -1) {
                        let sum = subtotals[start...].map(\.value).reduce(0, +) + blockSum
                        if abs(sum - value) <= allowance(subtotals.count - start + block.count) { matched = start; break }
                    }
                    if let start = matched {
                        subtotals.replaceSubrange(start..., with: [(r, value)])
                    } else if !block.isEmpty || !subtotals.isEmpty {
                        let parts = block.isEmpty ? subtotals : block
                        let sum = parts.map(\.value).reduce(0, +)
                        warnings.append(sumMismatch(table: table, totalRow: r, column: c, printed: value, sum: sum,
                                                    parts: parts.map(\.row), index: index))
                        subtotals.append((r, value))
                    }
                    block = []
                }
            }
        }
        return warnings
    }

    static func step(_ decimals: Int) -> Decimal {
        var step: Decimal = 1
        for _ in 0..<decimals { step /= 10 }
        return step
    }

    /// Kronor per printed unit in this table, from a fact read from it.
    static func scale(of table: Table, index: FactIndex, row: Int, column: Int) -> Decimal {
        if let fact = index.fact(table: table.id, row: row, column: column),
           let printed = table.rows[row].cells[column]?.value.value, printed != 0 {
            return abs(fact.value / printed)
        }
        return table.unit?.scale ?? 1
    }

    func sumMismatch(table: Table, totalRow r: Int, column c: Int, printed: Decimal, sum: Decimal, parts: [Int],
                     index: FactIndex) -> ReportWarning {
        let scale = Self.scale(of: table, index: index, row: r, column: c)
        let row = table.rows[r]
        let name = table.title ?? table.labelHeader ?? table.id
        let header = table.columns[c].header.isEmpty ? "" : ", \(table.columns[c].header)"
        let total = index.fact(table: table.id, row: r, column: c)
        let partFacts = parts.compactMap { index.fact(table: table.id, row: $0, column: c)?.id }
        return ReportWarning(
            code: "sum_mismatch", severity: .error,
            message: "\(name) (p. \(row.page)\(header)): the rows add up to \(Self.money(sum * scale)) but \(row.label) says \(Self.money(printed * scale))",
            concept: total?.concept, period: total?.period, expected: printed * scale, actual: sum * scale,
            facts: (total.map { [$0.id] } ?? []) + partFacts, pages: [row.page])
    }

    // MARK: - Statement rows against their notes

    /// A statement row that refers to a note (its `Not` column says 3) against
    /// that note's total: "Not 3 Fordringar: rows add up to 379 111 but
    /// Balansräkning Korta fordringar says 379 906".
    func noteLinks(_ tables: [Table], index: FactIndex) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for table in tables where table.mapped == true {
            guard let noteColumn = table.columns.firstIndex(where: \.heading.isNoteColumn) else { continue }
            for (r, row) in table.rows.enumerated() {
                guard let reference = row.cells[noteColumn]?.value.value,
                      let note = tables.first(where: { Self.isNote(Int(truncating: reference as NSNumber), $0) }),
                      let totalRow = note.rows.lastIndex(where: \.isTotal) else { continue }
                for c in table.columns.indices where c != noteColumn {
                    guard let line = index.fact(table: table.id, row: r, column: c) else { continue }
                    let totals = note.columns.indices.compactMap { index.fact(table: note.id, row: totalRow, column: $0) }
                    guard let total = totals.first(where: { Self.samePeriodEnd($0.period, line.period) }) else { continue }
                    let allowed = max(tolerance, line.rounding, total.rounding)
                    if abs(abs(total.value) - abs(line.value)) > allowed {
                        warnings.append(ReportWarning(
                            code: "sum_mismatch", severity: .error,
                            message: "\(note.title ?? "Not \(reference)") (p. \(note.page)): the rows add up to \(Self.money(abs(total.value))) but \(table.title ?? "the statement") \(row.label) (p. \(row.page)) says \(Self.money(abs(line.value)))",
                            concept: line.concept, period: line.period, expected: abs(line.value), actual: abs(total.value),
                            facts: [line.id, total.id], pages: [row.page, note.rows[totalRow].page]))
                    }
                }
            }
        }
        return warnings
    }

    static func isNote(_ number: Int, _ table: Table) -> Bool {
        guard let title = table.title else { return false }
        let words = LabelText.normalize(title, foldDiacritics: true).split { !$0.isLetter && !$0.isNumber }
        return words.count >= 2 && words[0] == "not" && Int(words[1]) == number
    }

    static func samePeriodEnd(_ a: Period, _ b: Period) -> Bool {
        func end(_ p: Period) -> Day { if case .span(_, let e) = p { return e }; if case .instant(let d) = p { return d }; fatalError() }
        return end(a) == end(b)
    }

    // MARK: - Deviation columns

    /// A deviation (avvikelse) against budget minus outcome for the same row
    /// and period.
    func deviations(index: FactIndex) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for key in index.rows {
            let row = index.byRow[key] ?? []
            for deviation in row where deviation.scenario == .deviation {
                guard let actual = row.first(where: { $0.scenario == .actual && $0.period == deviation.period }),
                      let budget = row.first(where: { $0.scenario == .budget && $0.period == deviation.period }) else { continue }
                let difference = abs(budget.value - actual.value)
                let allowed = max(tolerance, deviation.rounding + actual.rounding + budget.rounding)
                if abs(abs(deviation.value) - difference) > allowed {
                    warnings.append(ReportWarning(
                        code: "sum_mismatch", severity: .error,
                        message: "\(Self.place(deviation)): the deviation printed is \(Self.money(deviation.value)) but budget \(Self.money(budget.value)) and outcome \(Self.money(actual.value)) differ by \(Self.money(difference))",
                        concept: deviation.concept, period: deviation.period, expected: difference, actual: abs(deviation.value),
                        facts: [deviation.id, budget.id, actual.id], pages: [deviation.source.page]))
                }
            }
        }
        return warnings
    }

    // MARK: - Statement identities

    func balance(_ book: Book) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for day in book.instants {
            let assets = book.value("balance_sheet.total_assets", at: day)
            let both = book.value("balance_sheet.total_equity_and_liabilities", at: day)
            if let assets, let both {
                warnings += compare("balance_mismatch", "total assets", assets, "total equity and liabilities", both)
            }
            // Equity from its parts.
            let parts = ["balance_sheet.retained_equity", "balance_sheet.equity_net_result"].compactMap { book.value($0, at: day) }
                + book.all("balance_sheet.transferred_equity", at: day)
            if let equity = book.value("balance_sheet.equity", at: day), !parts.isEmpty, equity.fact.source.rule?.hasSuffix(":balance_sheet") == true {
                warnings += compare("balance_mismatch", "the equity items", Entry.sum(parts), "total equity", equity)
            }
        }
        return warnings
    }

    func results(_ book: Book) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for period in book.spans {
            // A statement that prints its income in parts (fees, ESF, other)
            // is checked on the parts, the figures it prints.
            let fees = book.value("income_statement.member_contributions", over: period)
            let others = book.all("income_statement.other_income", over: period)
                .filter { fees == nil || $0.fact.source.tableID == fees?.fact.source.tableID }
            let parts = [fees].compactMap { $0 } + others
            let income = parts.isEmpty ? book.value("income_statement.operating_income", over: period) : Entry.sum(parts)
            let costs = book.value("income_statement.operating_costs", over: period)
            let depreciation = book.value("income_statement.depreciation", over: period)
            let operating = book.value("income_statement.operating_result", over: period)
            let financial = (book.value("income_statement.financial_income", over: period),
                             book.value("income_statement.financial_costs", over: period))
            let afterFinancial = book.value("income_statement.result_after_financial_items", over: period)
            let extraordinary = book.value("income_statement.extraordinary_items", over: period)
            let net = book.value("income_statement.net_result", over: period)
            if let income, let costs, let operating {
                let computed = Entry.combine([income], minus: [costs] + [depreciation].compactMap { $0 })
                warnings += compare("result_mismatch", "income less costs", computed, "the operating result", operating)
            }
            if let operating, let afterFinancial {
                let computed = Entry.combine([operating, financial.0].compactMap { $0 }, minus: [financial.1].compactMap { $0 })
                warnings += compare("result_mismatch", "the operating result and financial items", computed,
                                    "the result after financial items", afterFinancial)
            }
            if let afterFinancial, let net {
                let computed = Entry.combine([afterFinancial, extraordinary].compactMap { $0 }, minus: [])
                warnings += compare("result_mismatch", "the result after financial and extraordinary items", computed,
                                    "the net result", net)
            } else if operating == nil, afterFinancial == nil, let income, let costs, let net {
                let computed = Entry.combine([income], minus: [costs])
                warnings += compare("result_mismatch", "income less costs", computed, "the result", net)
            }
            // The result in the equity block is the period's result.
            if let net, case .span(_, let end) = period,
               let inEquity = book.value("balance_sheet.equity_net_result", at: end) {
                warnings += compare("result_mismatch", "the income statement's result", net, "the balance sheet's result", inEquity)
            }
            if let net, let inCashFlow = book.value("cash_flow.net_result", over: period) {
                warnings += compare("result_mismatch", "the income statement's result", net, "the cash flow's result", inCashFlow)
            }
        }
        return warnings
    }

    func cashFlow(_ book: Book) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for period in book.spans {
            guard case .span(let start, let end) = period else { continue }
            let opening = book.value("cash_flow.cash_at_start", at: start)
            let closing = book.value("cash_flow.cash_at_end", at: end)
            let change = book.value("cash_flow.net_change", over: period)
            if let opening, let change, let closing {
                warnings += compare("cashflow_mismatch", "opening cash and the year's cash flow", Entry.combine([opening, change], minus: []),
                                    "closing cash", closing)
            }
            let funds = book.value("cash_flow.funds_from_operations", over: period)
            let receivables = book.value("cash_flow.change_receivables", over: period)
            let liabilities = book.value("cash_flow.change_liabilities", over: period)
            if let funds, let operating = book.value("cash_flow.operating", over: period), receivables != nil || liabilities != nil {
                warnings += compare("cashflow_mismatch", "funds from operations and the changes in working capital",
                                    Entry.combine([funds, receivables, liabilities].compactMap { $0 }, minus: []),
                                    "the operating cash flow", operating)
            }
            if let funds, let result = book.value("cash_flow.net_result", over: period) {
                let adjustments = book.value("cash_flow.non_cash_adjustments", over: period)
                warnings += compare("cashflow_mismatch", "the result and non-cash adjustments",
                                    Entry.combine([result, adjustments].compactMap { $0 }, minus: []), "funds from operations", funds)
            }
            if let closing, let cash = book.value("balance_sheet.cash", at: end) {
                warnings += compare("cashflow_mismatch", "the cash flow's closing cash", closing, "the balance sheet's cash", cash)
            }
        }
        return warnings
    }

    func ratios(_ book: Book) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for day in book.instants {
            guard let ratio = book.value("ratio.equity_ratio", at: day),
                  let equity = book.value("balance_sheet.equity", at: day),
                  let assets = book.value("balance_sheet.total_assets", at: day), assets.value != 0 else { continue }
            let computed = equity.value / assets.value
            // A percentage printed whole is rounded to half a percent.
            if abs(computed - ratio.value) > Decimal(string: "0.006")! {
                warnings.append(ReportWarning(
                    code: "ratio_mismatch", severity: .error,
                    message: "\(Self.place(ratio.fact)) says soliditet \(Self.percent(ratio.value)) but equity \(Self.money(equity.value)) (\(Self.place(equity.fact))) over total assets \(Self.money(assets.value)) (\(Self.place(assets.fact))) is \(Self.percent(computed))",
                    concept: "ratio.equity_ratio", period: .instant(day), expected: computed.rounded(places: 3), actual: ratio.value,
                    facts: [ratio.fact.id, equity.fact.id, assets.fact.id], pages: [ratio.fact.source.page, equity.fact.source.page]))
            }
        }
        return warnings
    }

    func participants(_ book: Book) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for (key, total) in book.keyed where key.concept == "participants.total" {
            let women = book.keyed[Fact.Key(concept: "participants.women", dims: key.dims, period: key.period, scenario: key.scenario)]
            let men = book.keyed[Fact.Key(concept: "participants.men", dims: key.dims, period: key.period, scenario: key.scenario)]
            let other = book.keyed[Fact.Key(concept: "participants.other_gender", dims: key.dims, period: key.period, scenario: key.scenario)]
            guard let women, let men else { continue }
            let parts = [women, men, other].compactMap { $0 }
            let sum = parts.map(\.value).reduce(0, +)
            if sum != total.value {
                warnings.append(ReportWarning(
                    code: "participants_mismatch", severity: .warning,
                    message: "\(Self.place(total.fact)): \(Self.describe(key.dims))women \(women.value) + men \(men.value)\(other.map { " + other \($0.value)" } ?? "") = \(sum), but the total says \(total.value)",
                    concept: "participants.total", period: key.period, expected: total.value, actual: sum,
                    facts: [total.fact.id] + parts.map(\.fact.id), pages: Array(Set([total.fact.source.page] + parts.map(\.fact.source.page))).sorted()))
            }
        }
        for (key, ended) in book.keyed where key.concept == "participants.ended" {
            let parts = ["participants.ended_to_work", "participants.ended_to_studies", "participants.ended_job_seeking"]
                .compactMap { book.keyed[Fact.Key(concept: $0, dims: key.dims, period: key.period, scenario: key.scenario)] }
            let sum = parts.map(\.value).reduce(0, +)
            if !parts.isEmpty, sum > ended.value {
                warnings.append(ReportWarning(
                    code: "participants_mismatch", severity: .warning,
                    message: "\(Self.place(ended.fact)): \(Self.describe(key.dims))\(sum) ended to work, studies or job seeking, but only \(ended.value) ended in all",
                    concept: "participants.ended", period: key.period, expected: ended.value, actual: sum,
                    facts: [ended.fact.id] + parts.map(\.fact.id), pages: [ended.fact.source.page]))
            }
        }
        return warnings
    }

    // MARK: - Signs and labels

    /// A cost printed with the other sign in one period of a row where the
    /// other periods agree (an overview's 2022 costs positive among negatives).
    func signs(_ tables: [Table], index: FactIndex) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for table in tables where table.mapped == true {
            for (r, row) in table.rows.enumerated() {
                let facts = table.columns.indices.compactMap { index.fact(table: table.id, row: r, column: $0) }
                    .filter { $0.scenario == .actual }
                guard facts.count >= 3, let concept = facts.first.flatMap({ Concept.named($0.concept) }), concept.isOutflow else { continue }
                let printed = facts.compactMap { fact in fact.source.columnIndex.flatMap { row.cells[$0]?.value.value }.map { (fact, $0) } }
                    .filter { $0.1 != 0 }
                let negative = printed.filter { $0.1 < 0 }, positive = printed.filter { $0.1 > 0 }
                guard !negative.isEmpty, !positive.isEmpty else { continue }
                let odd = negative.count < positive.count ? negative : positive
                guard odd.count == 1, let (fact, value) = odd.first else { continue }
                warnings.append(ReportWarning(
                    code: "sign_inconsistency", severity: .warning,
                    message: "\(table.title ?? table.id) (p. \(row.page)) \(row.label): \(fact.source.column ?? "one column") is printed \(value > 0 ? "positive" : "negative") (\(fact.source.text)) while the other \(printed.count - 1) periods are \(value > 0 ? "negative" : "positive"); read as a cost of \(Self.money(fact.value)) either way",
                    concept: fact.concept, period: fact.period, facts: [fact.id] + printed.map(\.0.id).filter { $0 != fact.id },
                    pages: [row.page]))
            }
        }
        return warnings
    }

    /// Rows whose label says something else than what their place in the
    /// table makes them: a cost table's total labelled as income, or a label
    /// printed twice that position had to tell apart.
    func labels(_ tables: [Table], index: FactIndex) -> [ReportWarning] {
        var warnings: [ReportWarning] = []
        for table in tables where table.mapped == true {
            var seen: [String: Int] = [:]
            for (r, row) in table.rows.enumerated() where !row.isSection {
                let facts = table.columns.indices.compactMap { index.fact(table: table.id, row: r, column: $0) }
                guard let fact = facts.first else { continue }
                let label = LabelText.normalize(row.label, foldDiacritics: true)
                if fact.concept == "costs.total", label.contains("bidrag") || label.contains("intakt") {
                    warnings.append(ReportWarning(
                        code: "mislabelled_row", severity: .warning,
                        message: "\(table.title ?? table.id) (p. \(row.page)): the total row of this cost table is labelled \u{201C}\(row.label)\u{201D}; read by its place as the costs' total (\(Self.money(fact.value)))",
                        concept: fact.concept, period: fact.period, facts: facts.map(\.id), pages: [row.page]))
                }
                if fact.concept == "income.total", label.contains("kostnad") {
                    warnings.append(ReportWarning(
                        code: "mislabelled_row", severity: .warning,
                        message: "\(table.title ?? table.id) (p. \(row.page)): the total row of this income table is labelled \u{201C}\(row.label)\u{201D}",
                        concept: fact.concept, period: fact.period, facts: facts.map(\.id), pages: [row.page]))
                }
                if let first = seen[label] {
                    let earlier = table.columns.indices.compactMap { index.fact(table: table.id, row: first, column: $0) }.first
                    if let earlier, earlier.concept != fact.concept {
                        warnings.append(ReportWarning(
                            code: "mislabelled_row", severity: .warning,
                            message: "\(table.title ?? table.id) (p. \(row.page)): \u{201C}\(row.label)\u{201D} is printed twice; by their place the first is read as \(earlier.concept) (\(Self.money(earlier.value))) and the second as \(fact.concept) (\(Self.money(fact.value)))",
                            concept: earlier.concept, period: earlier.period, facts: [earlier.id, fact.id], pages: [row.page]))
                    }
                } else {
                    seen[label] = r
                }
            }
        }
        return warnings
    }

    // MARK: - Helpers

    func compare(_ code: String, _ leftName: String, _ left: Entry, _ rightName: String, _ right: Entry) -> [ReportWarning] {
        let allowed = max(tolerance, left.rounding + right.rounding)
        guard abs(left.value - right.value) > allowed else { return [] }
        let facts = left.facts + right.facts
        return [ReportWarning(
            code: code, severity: .error,
            message: "\(leftName) give\(leftName.hasSuffix("s") ? "" : "s") \(Self.money(left.value)) (\(left.places)) but \(rightName) is \(Self.money(right.value)) (\(right.places))",
            concept: right.fact.concept, period: right.fact.period, expected: right.value, actual: left.value,
            facts: facts.map(\.id), pages: Array(Set(facts.map(\.source.page))).sorted())]
    }

    static func money(_ value: Decimal) -> String { SwedishNumberFormat.format(value) + " kr" }
    static func percent(_ value: Decimal) -> String { SwedishNumberFormat.format(value * 100, decimals: 1) + " %" }
    static func place(_ fact: Fact) -> String {
        "\(fact.source.table.map { "\u{201C}\($0)\u{201D} " } ?? "")\(fact.source.row ?? fact.concept) (p. \(fact.source.page))"
    }
    static func describe(_ dims: [String: String]) -> String {
        dims.isEmpty ? "" : dims.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", ") + ": "
    }
}

/// Facts by where they were read.
struct FactIndex {
    var byCell: [String: Fact] = [:]
    /// Facts of one table row, grouped (for deviation checks).
    var byRow: [String: [Fact]] = [:]
    /// The keys of `byRow` in the order of the facts: warnings come out in
    /// report order, not a dictionary's (which changes from run to run).
    var rows: [String] = []

    init(_ facts: [Fact]) {
        for fact in facts {
            guard let table = fact.source.tableID, let row = fact.source.rowIndex, let column = fact.source.columnIndex else { continue }
            byCell["\(table)|\(row)|\(column)"] = fact
            // The dims as an array of pairs prints them; written out by hand
            // where every character is one that printing leaves as it is.
            let sorted = fact.dims.sorted { $0.key < $1.key }
            let dims = FactIndex.printed(sorted) ?? "\(sorted)"
            let key = "\(table)|\(row)|\(fact.concept)|\(dims)"
            if byRow[key] == nil { rows.append(key) }
            byRow[key, default: []].append(fact)
        }
    }

    func fact(table: String, row: Int, column: Int) -> Fact? { byCell["\(table)|\(row)|\(column)"] }

    /// `"\(pairs)"` (`[(key: "gender", value: "women")]`) for keys and
    /// values of letters, digits, spaces and `-_.,:/()%&+` only (which
    /// printing neither escapes nor changes); nil for anything else.
    static func printed(_ pairs: [(key: String, value: String)]) -> String? {
        func plain(_ s: String) -> Bool {
            s.unicodeScalars.allSatisfy { c in
                switch c.value {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x20: return true
                case 0xC0...0xFF: return c.value != 0xD7 && c.value != 0xF7
                default: return "-_.,:/()%&+".unicodeScalars.contains(c)
                }
            }
        }
        var out = "["
        for (i, pair) in pairs.enumerated() {
            guard plain(pair.key), plain(pair.value) else { return nil }
            if i > 0 { out += ", " }
            out += "(key: \"" + pair.key + "\", value: \"" + pair.value + "\")"
        }
        return out + "]"
    }
}

/// A figure with the facts behind it, for identities.
struct Entry {
    var value: Decimal
    var facts: [Fact]
    var rounding: Decimal
    var fact: Fact { facts[facts.count - 1] }
    var places: String { facts.map { Reconciler.place($0) }.joined(separator: ", ") }

    static func sum(_ entries: [Entry]) -> Entry {
        Entry(value: entries.map(\.value).reduce(0, +), facts: entries.flatMap(\.facts), rounding: entries.map(\.rounding).reduce(0, +))
    }

    static func sumIfAny(_ entries: [Entry]) -> Entry? { entries.isEmpty ? nil : sum(entries) }

    static func combine(_ plus: [Entry], minus: [Entry]) -> Entry {
        Entry(value: plus.map(\.value).reduce(0, +) - minus.map(\.value).reduce(0, +),
              facts: (plus + minus).flatMap(\.facts), rounding: (plus + minus).map(\.rounding).reduce(0, +))
    }
}

/// The consolidated values of the actual scenario, by concept and period.
struct Book {
    var keyed: [Fact.Key: Entry] = [:]
    var spans: [Period] = []
    var instants: [Day] = []

    init(values: [ConsolidatedValue], facts: [Fact]) {
        let byID = Dictionary(facts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for value in values where value.scenario == .actual {
            guard let first = value.facts.lazy.compactMap({ byID[$0] }).first else { continue }
            let key = Fact.Key(concept: value.concept, dims: value.dims, period: value.period, scenario: value.scenario)
            keyed[key] = Entry(value: value.value, facts: [first], rounding: first.rounding)
            switch value.period {
            case .span: if !spans.contains(value.period) { spans.append(value.period) }
            case .instant(let d): if !instants.contains(d) { instants.append(d) }
            }
        }
    }

    func value(_ concept: String, over period: Period) -> Entry? {
        keyed[Fact.Key(concept: concept, dims: [:], period: period, scenario: .actual)]
    }

    func value(_ concept: String, at day: Day) -> Entry? {
        keyed[Fact.Key(concept: concept, dims: [:], period: .instant(day), scenario: .actual)]
    }

    /// Every value of `concept` over `period` (any dims), in the order the
    /// report printed them: a dictionary's order changes from run to run, and
    /// a warning's list of facts must not.
    func all(_ concept: String, over period: Period) -> [Entry] {
        keyed.filter { $0.key.concept == concept && $0.key.period == period && $0.key.scenario == .actual }.map(\.value)
            .sorted { Self.position($0) < Self.position($1) }
    }

    /// A fact's number in the report (`f17` → 17), for a stable order.
    static func position(_ entry: Entry) -> (Int, String) {
        let id = entry.facts.first?.id ?? ""
        return (Int(id.drop { !$0.isNumber }) ?? Int.max, id)
    }

    func all(_ concept: String, at day: Day) -> [Entry] { all(concept, over: .instant(day)) }
}
