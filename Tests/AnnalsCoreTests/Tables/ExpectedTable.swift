import AnnalsCore
import Foundation
import Testing

/// A table as a person reads it in a sample, written by hand from the sample's
/// source (`samples/src/*.txt`, itself transcribed from the seed text): what
/// the detector must find.
struct ExpectedTable: Sendable, CustomTestStringConvertible {
    /// One cell to check: the row's label (the `occurrence`-th row with that
    /// label, from 1, for labels printed twice), the figure column (0-based,
    /// the `Not` column counted), and the text as printed with digit groups
    /// joined by single spaces, or nil for an empty cell.
    struct Cell: Sendable {
        var label: String
        var occurrence: Int = 1
        var column: Int
        var text: String?

        init(_ label: String, _ column: Int, _ text: String?, occurrence: Int = 1) {
            self.label = label
            self.column = column
            self.text = text
            self.occurrence = occurrence
        }
    }

    var sample: String
    /// The page the table starts on.
    var page: Int
    var title: String?
    var unit: MoneyUnit?
    /// The figure columns' headers, each header's lines joined by a space
    /// (compared without regard to white space).
    var headers: [String]
    /// All rows, section labels and totals included.
    var rowCount: Int
    var cells: [Cell]
    /// Labels of rows that must be marked as totals.
    var totals: [String] = []
    /// Pages the table continues on, when it does.
    var continuesOn: [Int] = []

    var testDescription: String { "\(sample.prefix(1)) p\(page) \(title ?? "(untitled)")" }
}

@Suite struct SampleTableTests {
    /// Each sample's pages, read once.
    static let documents: [String: [PageText]] = {
        var result: [String: [PageText]] = [:]
        for name in Set(SampleTableTests.expected.map(\.sample)) {
            let document = try! PDFDocument(contentsOf: Fixtures.sample(name))
            result[name] = (1...document.pageCount).map { try! document.text(ofPage: $0) }
        }
        return result
    }()

    static let tables: [String: [Table]] = documents.mapValues { TableDetector().tables(in: $0) }

    static let expected: [ExpectedTable] = TablesA.expected + TablesB.expected + TablesC.expected + TablesD.expected

    @Test(arguments: expected)
    func tableIsFound(_ expected: ExpectedTable) throws {
        let found = Self.tables[expected.sample] ?? []
        let onPage = found.filter { $0.page == expected.page }
        let table = try #require(onPage.first { $0.title == expected.title } ?? (onPage.count == 1 ? onPage.first : nil),
            "no table titled \(expected.title ?? "nil") on page \(expected.page); found \(onPage.map { $0.title ?? "nil" })")
        #expect(table.title == expected.title)
        #expect(table.unit == expected.unit)
        let squeeze = { (s: String) in s.filter { !$0.isWhitespace } }
        #expect(table.columns.map { squeeze($0.header) } == expected.headers.map(squeeze),
                "headers: \(table.columns.map(\.header))")
        #expect(table.rows.count == expected.rowCount, "rows: \(table.rows.map(\.label))")
        for cell in expected.cells {
            let rows = table.rows.filter { $0.label == cell.label }
            guard rows.count >= cell.occurrence else {
                Issue.record("no row \(cell.label) (#\(cell.occurrence)) in \(table.id); rows: \(table.rows.map(\.label))")
                continue
            }
            let row = rows[cell.occurrence - 1]
            guard cell.column < row.cells.count else {
                Issue.record("\(cell.label): no column \(cell.column)")
                continue
            }
            #expect(row.cells[cell.column]?.text == cell.text, "\(cell.label) column \(cell.column)")
        }
        for label in expected.totals {
            #expect(table.rows.first { $0.label == label }?.isTotal == true, "\(label) is not marked as a total")
        }
        if !expected.continuesOn.isEmpty {
            #expect(table.pages == [expected.page] + expected.continuesOn)
        }
    }

    /// Every table found is one a person would call a table of figures: the
    /// detector invents none out of prose or text tables. (Each count is the
    /// number of numeric tables in the sample's source, counted by hand.)
    @Test(arguments: [
        (TablesA.sample, TablesA.numericTableCount), (TablesB.sample, TablesB.numericTableCount),
        (TablesC.sample, TablesC.numericTableCount), (TablesD.sample, TablesD.numericTableCount),
    ])
    func noTablesBeyondTheNumericOnes(_ name: String, _ count: Int) throws {
        let found = Self.tables[name] ?? []
        #expect(found.count == count, "found \(found.map { "\($0.id) \($0.title ?? "-")" })")
        #expect(Self.expected.filter { $0.sample == name }.count == count, "every numeric table has its expectation")
    }
}
