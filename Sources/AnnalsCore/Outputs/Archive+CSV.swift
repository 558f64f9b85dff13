import Foundation
import GRDB

extension Archive {
    /// values.csv: one row per consolidated value of the archive, in long
    /// format, by file and then in the order the report gave its values.
    /// - Parameter made: rows made before by `valuesCSVRows`, by report
    ///   (sha256), used as they are.
    public func valuesCSV(reusing made: [String: CSV] = [:]) throws -> CSV {
        var csv = CSV(header: Self.valuesHeader)
        try database.read { db in
            let writer = try ValuesWriter(db)
            for report in try writer.reports(excluding: []) {
                if let rows = made[report.sha256] { csv.append(rows: rows) } else { try writer.append(report, to: &csv) }
            }
        }
        return csv
    }

    /// The rows values.csv has for each report outside `excluded` (by
    /// sha256), for `valuesCSV` to reuse: what a batch does on a core its last
    /// documents leave idle.
    /// - Parameter stop: asked before each report; once true, the rows made
    ///   so far are returned.
    public func valuesCSVRows(excluding excluded: Set<String>, until stop: () -> Bool = { false }) throws -> [String: CSV] {
        var made: [String: CSV] = [:]
        try database.read { db in
            let writer = try ValuesWriter(db)
            for report in try writer.reports(excluding: excluded) {
                if stop() { break }
                var rows = CSV()
                try writer.append(report, to: &rows)
                made[report.sha256] = rows
            }
        }
        return made
    }

    static let valuesHeader = ["file", "sha256", "organisation", "report_type", "report_period", "concept", "dims",
                               "period", "scenario", "value", "unit", "agreed", "confidence"]

    /// Reads the reports, then each one's values through their index in the
    /// order stored (a report's values have consecutive rowids): the rows of
    /// `ORDER BY file, rowid` without sorting every value. A report's own
    /// five fields are made once.
    final class ValuesWriter {
        let db: Database
        let values: RawStatement
        /// Confidences are a handful of numbers, each written once.
        private var confidences: [Double: String] = [:]

        init(_ db: Database) throws {
            self.db = db
            values = try RawStatement(db, sql: """
                SELECT concept, dims, period_start, period_end, period_instant, scenario, value_text, unit, agreed, confidence
                FROM "values" WHERE report = ? ORDER BY rowid
                """)
        }

        func reports(excluding excluded: Set<String>) throws -> [(sha256: String, fields: CSV)] {
            var reports: [(sha256: String, fields: CSV)] = []
            try RawStatement(db, sql: """
                SELECT sha256, file, organisation, type, period_start, period_end, NULL FROM reports r
                WHERE EXISTS (SELECT 1 FROM "values" WHERE report = r.sha256)
                ORDER BY file, (SELECT MIN(rowid) FROM "values" WHERE report = r.sha256)
                """).rows([]) { row in
                let sha256 = row.text(0) ?? ""
                guard !excluded.contains(sha256) else { return }
                var fields = CSV()
                for i in [1, 0, 2, 3] { fields.append(field: row.text(i)) }
                fields.append(period: row, start: 4, end: 5, instant: 6)
                reports.append((sha256, fields))
            }
            return reports
        }

        func append(_ report: (sha256: String, fields: CSV), to csv: inout CSV) throws {
            try values.rows([report.sha256]) { row in
                csv.append(fields: report.fields)
                row.withUTF8(0) { csv.append(field: $0) }
                row.withUTF8(1) { dims in csv.append(field: dims.map { $0.elementsEqual("{}".utf8) } == true ? nil : dims) }
                csv.append(period: row, start: 2, end: 3, instant: 4)
                for i in 5...7 { row.withUTF8(i) { csv.append(field: $0) } }
                csv.append(field: row.isInteger(8, 1) ? "true" : "false")
                if let confidence = row.double(9) {
                    if confidences[confidence] == nil { confidences[confidence] = row.text(9) }
                    csv.append(field: confidences[confidence])
                } else {
                    csv.append(field: row.text(9))
                }
                csv.endRow()
            }
        }
    }

    /// warnings.csv: every warning of the archive, by file and then in the
    /// order the report gave them (cross-report warnings after its own).
    public func warningsCSV() throws -> CSV {
        var csv = CSV(header: ["file", "sha256", "organisation", "code", "severity", "concept", "period",
                               "expected", "actual", "difference", "pages", "message"])
        try database.read { db in
            try RawStatement(db, sql: """
                SELECT r.file, r.sha256, r.organisation, w.code, w.severity, w.concept, w.period_start, w.period_end,
                       w.period_instant, w.expected, w.actual, w.difference, w.pages, w.message
                FROM warnings w JOIN reports r ON r.sha256 = w.report
                ORDER BY r.file, w.seq
                """).rows([]) { row in
                for i in 0...5 { row.withUTF8(i) { csv.append(field: $0) } }
                csv.append(period: row, start: 6, end: 7, instant: 8)
                for i in 9...13 { row.withUTF8(i) { csv.append(field: $0) } }
                csv.endRow()
            }
        }
        return csv
    }
}

extension CSV {
    /// A period from three columns of a row: `start/end`, or the instant, or nothing.
    mutating func append(period row: RawStatement.Row, start: Int, end: Int, instant: Int) {
        if !row.isNull(instant) { return row.withUTF8(instant) { append(field: $0) } }
        guard !row.isNull(start), !row.isNull(end) else { return append(field: nil as String?) }
        var period: [UInt8] = []
        row.withUTF8(start) { period.append(contentsOf: $0!) }
        period.append(UInt8(ascii: "/"))
        row.withUTF8(end) { period.append(contentsOf: $0!) }
        period.withUnsafeBufferPointer { append(field: $0) }
    }
}
