@testable import AnnalsCore
import Foundation
import Testing

/// values.csv and warnings.csv written from the archive: by file, and then
/// in the order each report gave its rows.
@Suite struct ArchiveCSVTests {
    static func sampleReport() throws -> Report {
        var extraction = ReportExtraction(mappings: ReportJSONTests.mappings)
        extraction.ocr = OCRReader(mode: .never)
        return try extraction.run(file: Fixtures.sample("A-sodra-norrbotten-2020-delarsrapport.pdf"))
    }

    /// The rows of a CSV, split at line ends (none of these fields is quoted across lines).
    static func rows(_ csv: CSV) -> [String] {
        csv.text.components(separatedBy: "\r\n").dropLast().map { $0 }
    }

    @Test func valuesFollowFilesThenTheOrderStored() throws {
        let report = try Self.sampleReport()
        var older = report, newer = report
        older.source.sha256 = String(repeating: "1", count: 64)
        newer.source.sha256 = String(repeating: "0", count: 64)
        let folder = try Fixtures.temporaryDirectory()
        let archive = try Archive(url: folder.appendingPathComponent("annals.sqlite"))
        // Two versions of one file (its bytes changed between two batches), and another file before it.
        try archive.store(older, file: "b/report.pdf", output: "report.json")
        try archive.store(newer, file: "b/report.pdf", output: "report.json")
        var other = report
        other.source.sha256 = String(repeating: "2", count: 64)
        try archive.store(other, file: "a/other.pdf", output: "other.json")

        let rows = Self.rows(try archive.valuesCSV())
        let n = report.values.count
        #expect(rows.count == 1 + 3 * n)
        #expect(rows[0] == "file,sha256,organisation,report_type,report_period,concept,dims,period,scenario,value,unit,agreed,confidence")
        // By file, then as stored: the older version of b/report.pdf first.
        #expect(rows[1...n].allSatisfy { $0.hasPrefix("a/other.pdf,\(other.source.sha256),") })
        #expect(rows[(n + 1)...(2 * n)].allSatisfy { $0.hasPrefix("b/report.pdf,\(older.source.sha256),") })
        #expect(rows[(2 * n + 1)...].allSatisfy { $0.hasPrefix("b/report.pdf,\(newer.source.sha256),") })
        // Each report's values in the report's own order: the first is the
        // participants table's first row (seed 003 l.77: "Luleå Arenan Lots 20").
        #expect(rows[1] == "a/other.pdf,\(other.source.sha256),Samordningsförbundet Södra Norrbotten,interim,2020-01-01/2020-06-30,"
                + #"participants.total,"{""intervention"":""Luleå Arenan Lots""}",2020-01-01/2020-06-30,actual,20,persons,true,0.99"#)
        // Stored again, the older version becomes the later one.
        try archive.store(older, file: "b/report.pdf", output: "report.json")
        let again = Self.rows(try archive.valuesCSV())
        #expect(again[(n + 1)...(2 * n)].allSatisfy { $0.hasPrefix("b/report.pdf,\(newer.source.sha256),") })
        #expect(again[(2 * n + 1)...].allSatisfy { $0.hasPrefix("b/report.pdf,\(older.source.sha256),") })
    }

    /// A batch's early end may be stopped after any report: the rows made
    /// until then, reused, give values.csv byte for byte as made whole.
    @Test func rowsMadeUntilStoppedGiveTheSameFile() throws {
        let report = try Self.sampleReport()
        let folder = try Fixtures.temporaryDirectory()
        let archive = try Archive(url: folder.appendingPathComponent("annals.sqlite"))
        for n in 0..<3 {
            var copy = report
            copy.source.sha256 = String(repeating: "\(n)", count: 64)
            try archive.store(copy, file: "r\(n).pdf", output: "r\(n).json")
        }
        let whole = try archive.valuesCSV().text
        for after in 0...3 {
            var asked = 0
            let made = try archive.valuesCSVRows(excluding: []) {
                defer { asked += 1 }
                return asked >= after
            }
            #expect(made.count == after)
            #expect(try archive.valuesCSV(reusing: made).text == whole)
        }
    }

    @Test func fieldsAreQuotedAsRFC4180Has() {
        var csv = CSV(header: ["a", "b"])
        csv.append(["plain", "with, comma"])
        csv.append(["say \"hi\"", "two\r\nlines"])
        csv.append([nil, ""])
        #expect(csv.text == "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n,\r\n")
    }
}
