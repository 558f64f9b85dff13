import AnnalsCore
import Foundation
import Testing

/// Each check on small fact sets, at and past its tolerance.
@Suite struct ReconcilerTests {
    static let year = Period.span(start: Day(iso: "2019-01-01")!, end: Day(iso: "2019-12-31")!)
    static let end = Day(iso: "2019-12-31")!
    static let start = Day(iso: "2019-01-01")!

    /// Builds facts and runs consolidation and every check, as extraction does.
    struct Books {
        var facts: [Fact] = []
        var tables: [Table] = []

        mutating func add(_ concept: String, _ value: Decimal, _ period: Period = ReconcilerTests.year,
                          scenario: Fact.Scenario = .actual, dims: [String: String] = [:], rounding: Decimal = 0,
                          table: String = "Resultaträkning") {
            let unit = Concept.named(concept)!.unit
            facts.append(Fact(id: "f\(facts.count + 1)", concept: concept, value: value, unit: unit, period: period,
                              scenario: scenario, dims: dims,
                              source: .init(page: 1, table: table, row: concept, column: nil, text: "\(value)", unit: nil,
                                            bbox: nil, rule: "test:statement", tableID: nil, rowIndex: nil, columnIndex: nil),
                              confidence: 0.99, rounding: rounding))
        }

        func warnings(tolerance: Decimal = 0) -> [ReportWarning] {
            var facts = self.facts
            let reconciler = Reconciler(tolerance: tolerance)
            let repairs = reconciler.repair(facts: &facts, tables: tables)
            let (values, mismatches) = Consolidation(precedence: ["statement"], tolerance: tolerance)
                .consolidate(facts) { _ in "statement" }
            return repairs + mismatches + reconciler.reconcile(facts: &facts, tables: tables, values: values)
        }
    }

    @Test func balanceWithinAndBeyondRounding() {
        var books = Books()
        books.add("balance_sheet.total_assets", 1_706_877, .instant(Self.end))
        books.add("balance_sheet.total_equity_and_liabilities", 1_706_877, .instant(Self.end))
        #expect(books.warnings().isEmpty)
        books.facts[1].value = 1_706_878
        #expect(books.warnings().map(\.code) == ["balance_mismatch"])
        // Printed in whole tkr, each may hide 500 kr: 1 000 kr apart still agree, 1 001 do not.
        books.facts[0].rounding = 500
        books.facts[1].rounding = 500
        books.facts[1].value = 1_707_877
        #expect(books.warnings().isEmpty)
        books.facts[1].value = 1_707_878
        #expect(books.warnings().map(\.code) == ["balance_mismatch"])
    }

    @Test func resultChain() throws {
        var books = Books()
        books.add("income_statement.operating_income", 2_500_000)
        books.add("income_statement.operating_costs", 2_494_227)
        books.add("income_statement.depreciation", 0)
        books.add("income_statement.operating_result", 5_773)
        books.add("income_statement.financial_income", 0)
        books.add("income_statement.financial_costs", 0)
        books.add("income_statement.result_after_financial_items", 5_773)
        books.add("income_statement.net_result", 5_773)
        #expect(books.warnings().isEmpty)
        books.facts[3].value = 5_759   // B's income statement
        let warning = try #require(books.warnings().first)
        #expect(warning.code == "result_mismatch")
        #expect(warning.expected == 5_759 && warning.actual == 5_773 && warning.difference == 14)
        #expect(warning.message.contains("5 773 kr") && warning.message.contains("5 759 kr"))
    }

    @Test func resultInTheBalanceSheet() {
        var books = Books()
        books.add("income_statement.net_result", 524_932)
        books.add("balance_sheet.equity_net_result", 524_933, .instant(Self.end), table: "Balansräkning")
        #expect(books.warnings().map(\.code) == ["result_mismatch"])
        books.facts[1].value = 524_932
        #expect(books.warnings().isEmpty)
    }

    @Test func cashFlow() {
        var books = Books()
        books.add("cash_flow.cash_at_start", 858_376, .instant(Self.start))
        books.add("cash_flow.net_change", 468_595)
        books.add("cash_flow.cash_at_end", 1_326_971, .instant(Self.end))
        books.add("balance_sheet.cash", 1_326_971, .instant(Self.end), table: "Balansräkning")
        books.add("cash_flow.net_result", 5_759)
        books.add("cash_flow.non_cash_adjustments", 0)
        books.add("cash_flow.funds_from_operations", 5_759)
        books.add("cash_flow.change_receivables", 287_972)
        books.add("cash_flow.change_liabilities", 174_864)
        books.add("cash_flow.operating", 468_595)
        #expect(books.warnings().isEmpty)
        books.facts[9].value = 462_836          // B prints the operating flow without the result
        books.facts[3].value = 1_326_970        // and a balance sheet one krona off
        #expect(books.warnings().map(\.code).sorted() == ["cashflow_mismatch", "cashflow_mismatch"])
    }

    @Test func equityRatioAtAndBeyondItsRounding() {
        var books = Books()
        books.add("ratio.equity_ratio", Decimal(string: "0.70")!, .instant(Self.end))
        books.add("balance_sheet.equity", 4_845_484, .instant(Self.end), table: "Balansräkning")
        books.add("balance_sheet.total_assets", 6_929_388, .instant(Self.end), table: "Balansräkning")
        #expect(books.warnings().isEmpty)                       // 69,9 % printed as 70 %
        books.facts[0].value = Decimal(string: "0.705")!
        #expect(books.warnings().isEmpty)                       // 0,6 points off: rounding
        books.facts[0].value = Decimal(string: "0.46")!
        let warning = books.warnings().first
        #expect(warning?.code == "ratio_mismatch")
        #expect(warning?.message.contains("46,0 %") == true && warning?.message.contains("69,9 %") == true)
    }

    @Test func participants() {
        var books = Books()
        let arena = ["intervention": "VÄXA"]
        books.add("participants.total", 50, dims: arena)
        books.add("participants.women", 41, dims: arena)
        books.add("participants.men", 44, dims: arena)
        books.add("participants.ended", 13, dims: arena)
        books.add("participants.ended_to_work", 4, dims: arena)
        books.add("participants.ended_to_studies", 2, dims: arena)
        #expect(books.warnings().map(\.code) == ["participants_mismatch"])
        books.facts[0].value = 85
        #expect(books.warnings().isEmpty)
        books.facts[4].value = 12
        #expect(books.warnings().map(\.code) == ["participants_mismatch"])
    }

    @Test func sameKeyTwoNumbers() {
        var books = Books()
        books.add("income_statement.operating_costs", 2_494_241)
        books.add("income_statement.operating_costs", 2_494_227, table: "Verksamhetens utveckling")
        let warning = books.warnings().first
        #expect(warning?.code == "cross_table_mismatch")
        #expect(warning?.message.contains("2 494 227") == true && warning?.message.contains("2 494 241") == true)
    }

    // MARK: - Tables

    static func table(_ rows: [(String, [String?], total: Bool)], unit: MoneyUnit = .kr, id: String = "p1-t1",
                      title: String = "Redovisning av insatser", headers: [String] = ["2019"]) -> Table {
        var y = 100.0
        let built = rows.map { label, cells, total -> Table.Row in
            defer { y += 15 }
            return Table.Row(label: label, labelBox: Rect(x0: 70, y0: y, x1: 200, y1: y + 10),
                             cells: cells.enumerated().map { c, text in
                                 text.map { Table.Cell(text: $0, bbox: Rect(x0: 300 + Double(c) * 100, y0: y, x1: 350 + Double(c) * 100, y1: y + 10), page: 1) }
                             }, page: 1, isTotal: total, isBold: total)
        }
        var table = Table(id: id, title: title, section: nil, page: 1, pages: [1], unit: unit, unitText: nil, labelHeader: nil,
                          columns: headers.enumerated().map { Table.Column(header: $1, x0: 300 + Double($0) * 100, x1: 350 + Double($0) * 100) },
                          rows: built, bbox: Rect(x0: 70, y0: 100, x1: 400, y1: y), mapped: true)
        table.mapped = true
        return table
    }

    @Test func nestedTotals() {
        var books = Books()
        books.tables = [Self.table([
            ("INDIVIDINRIKTADE INSATSER", [nil], false),
            ("Arenan", ["87 779"], false), ("Lots", ["295 023"], false),
            ("SUMMA INDIVIDINRIKTADE INSATSER", ["382 802"], true),
            ("Plattform", ["0"], false), ("Övriga", ["204 376"], false),
            ("SUMMA STRUKTURINRIKTADE INSATSER", ["204 376"], true),
            ("SUMMA PROJEKT / INSATSER", ["587 178"], true),
        ])]
        #expect(books.warnings().isEmpty)
        books.tables[0].rows[7].cells[0] = Table.Cell(text: "587 179", bbox: Rect(x0: 300, y0: 0, x1: 350, y1: 10), page: 1)
        let warning = books.warnings().first
        #expect(warning?.code == "sum_mismatch")
        #expect(warning?.expected == 587_179 && warning?.actual == 587_178)
        #expect(warning?.message.contains("the rows add up to 587 178 kr but SUMMA PROJEKT / INSATSER says 587 179 kr") == true)
    }

    @Test func roundingOfTkrFiguresInASum() {
        var books = Books()
        books.tables = [Self.table([("A", ["1,1"], false), ("B", ["2,2"], false), ("Summa", ["3,4"], true)], unit: .tkr)]
        #expect(books.warnings().isEmpty)          // two figures may each hide 0,05 tkr
        books.tables[0].rows[2].cells[0] = Table.Cell(text: "3,5", bbox: Rect(x0: 300, y0: 0, x1: 350, y1: 10), page: 1)
        #expect(books.warnings().map(\.code) == ["sum_mismatch"])
    }

    /// D's 2017 receivables as the OCR read them: `18123` in a column of one-
    /// decimal tkr; reading it as 1 812,3 makes Summa omsättningstillgångar add up.
    @Test func aLostDecimalCommaIsRepairedWhenTheTotalProvesIt() throws {
        var books = Books()
        let table = Self.table([
            ("Fordringar", ["18123"], false), ("Kassa och banktillgodohavande", ["13 982,2"], false),
            ("Summa omsättningstillgångar", ["15 794,5"], true),
        ], unit: .tkr, title: "Balansräkning", headers: ["2017"])
        books.tables = [table]
        books.facts.append(Fact(id: "f1", concept: "balance_sheet.receivables", value: 18_123_000, unit: .sek,
                                period: .instant(Day(iso: "2017-12-31")!), scenario: .actual, dims: [:],
                                source: .init(page: 1, table: "Balansräkning", row: "Fordringar", column: "2017", text: "18123",
                                              unit: "tkr", bbox: nil, rule: "test:balance_sheet", tableID: table.id, rowIndex: 0, columnIndex: 0),
                                confidence: 0.99))
        var facts = books.facts
        let warnings = Reconciler(tolerance: 0).repair(facts: &facts, tables: books.tables)
        let warning = try #require(warnings.first)
        #expect(warning.code == "suspicious_number")
        #expect(warning.message.contains("printed \u{201C}18123\u{201D}, read as 1 812,3"))
        #expect(warning.message.contains("Summa omsättningstillgångar (15 794,5) adds up"))
        #expect(facts[0].value == 1_812_300)
        #expect(facts[0].confidence < 0.9)
    }

    @Test func ocrLettersInsideDigitsAreReadWhenTheTotalAgrees() throws {
        var books = Books()
        books.tables = [Self.table([
            ("Fordringar", ["2 58O,0"], false), ("Kassa", ["12 161,6"], false), ("Summa", ["14 741,6"], true),
        ], unit: .tkr, title: "Balansräkning")]
        var facts = books.facts
        let warnings = Reconciler(tolerance: 0).repair(facts: &facts, tables: books.tables)
        #expect(warnings.first?.message.contains("printed \u{201C}2 58O,0\u{201D}, read as 2 580,0") == true)
    }

    @Test func anUnprovableShapeIsKeptAsPrinted() throws {
        var books = Books()
        books.tables = [Self.table([
            ("Moms", ["100,8"], false), ("Huddinge kommun", ["1140"], false), ("Summa", ["1 000,0"], true),
        ], unit: .tkr, title: "Not 2. Fordringar")]
        var facts = books.facts
        let warnings = Reconciler(tolerance: 0).repair(facts: &facts, tables: books.tables)
        #expect(warnings.map(\.code) == ["suspicious_number"])
        #expect(warnings.first?.message.contains("kept as printed") == true)
    }

    /// A consistent report: B's statements with its misprints corrected (the
    /// result 5 773, receivables and Not 3 agreeing, the cash flow's operating
    /// line including the result) raise no error and no warning.
    @Test func aConsistentReportRaisesNothing() {
        var books = Books()
        books.add("income_statement.operating_income", 2_500_000)
        books.add("income_statement.operating_costs", 2_494_227)
        books.add("income_statement.depreciation", 0)
        books.add("income_statement.operating_result", 5_773)
        books.add("income_statement.financial_income", 0)
        books.add("income_statement.financial_costs", 0)
        books.add("income_statement.result_after_financial_items", 5_773)
        books.add("income_statement.extraordinary_items", 0)
        books.add("income_statement.net_result", 5_773)
        let day = Period.instant(Self.end)
        books.add("balance_sheet.receivables", 379_906, day, table: "Balansräkning")
        books.add("balance_sheet.cash", 1_326_971, day, table: "Balansräkning")
        books.add("balance_sheet.current_assets", 1_706_877, day, table: "Balansräkning")
        books.add("balance_sheet.total_assets", 1_706_877, day, table: "Balansräkning")
        books.add("balance_sheet.retained_equity", 1_024_602, day, table: "Balansräkning")
        books.add("balance_sheet.equity_net_result", 5_773, day, table: "Balansräkning")
        books.add("balance_sheet.equity", 1_030_375, day, table: "Balansräkning")
        books.add("balance_sheet.current_liabilities", 676_502, day, table: "Balansräkning")
        books.add("balance_sheet.total_equity_and_liabilities", 1_706_877, day, table: "Balansräkning")
        books.add("cash_flow.net_result", 5_773)
        books.add("cash_flow.non_cash_adjustments", 0)
        books.add("cash_flow.funds_from_operations", 5_773)
        books.add("cash_flow.change_receivables", 287_972)
        books.add("cash_flow.change_liabilities", 174_850)
        books.add("cash_flow.operating", 468_595)
        books.add("cash_flow.net_change", 468_595)
        books.add("cash_flow.cash_at_start", 858_376, .instant(Self.start))
        books.add("cash_flow.cash_at_end", 1_326_971, day)
        books.add("ratio.equity_ratio", Decimal(string: "0.60")!, day)
        let serious = books.warnings().filter { $0.severity != .info }
        #expect(serious.isEmpty, "\(serious.map(\.message))")
    }
}
