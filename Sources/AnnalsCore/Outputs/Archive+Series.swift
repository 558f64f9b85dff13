import Foundation
import GRDB

/// Years × key figures per organisation, from the best figure the archive
/// holds for each year.
public struct Series: Sendable {
    /// The columns: a heading and the concept behind it.
    public static let columns: [(heading: String, concept: String)] = [
        ("income", "income_statement.operating_income"),
        ("costs", "income_statement.operating_costs"),
        ("result", "income_statement.net_result"),
        ("equity", "balance_sheet.equity"),
        ("participants", "participants.total"),
    ]

    public struct Cell: Sendable, Hashable {
        public var value: Decimal
        /// The report the figure was taken from.
        public var file: String
        /// True when it comes from the year's own report, false from a later
        /// report's comparison column.
        public var ownReport: Bool
        /// False when the report's printings of it disagree.
        public var agreed: Bool
    }

    public struct Row: Sendable {
        public var series: String
        public var organisation: String
        public var year: Int
        public var cells: [String: Cell]
    }

    public var rows: [Row]
}

extension Archive {
    /// For each series (organisations joined by `check`'s merges) and calendar
    /// year: the value of each of `Series.columns`, preferring the year's own
    /// annual report, then a figure its printings agree on, then the report
    /// with fewer OCR pages, then the later report.
    public func series(_ check: PriorPeriodCheck, organisation: String? = nil) throws -> Series {
        try database.read { db in
            let concepts = Series.columns.map(\.concept)
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT r.file, r.organisation, r.period_start AS rs, r.period_end AS re, r.ocr_pages,
                       v.concept, v.period_start, v.period_end, v.period_instant, v.value_text, v.agreed
                FROM "values" v JOIN reports r ON r.sha256 = v.report
                WHERE r.status = 'ok' AND r.organisation IS NOT NULL AND v.scenario = 'actual' AND v.dims = '{}'
                  AND v.concept IN (\(concepts.map { _ in "?" }.joined(separator: ", ")))
                """, arguments: StatementArguments(concepts))
            struct Candidate { var cell: Series.Cell; var rank: (Int, Int, Int, String) }
            var best: [String: [Int: [String: Candidate]]] = [:]
            var names: [String: (name: String, end: String)] = [:]
            let wanted = organisation.map { check.seriesName(of: $0) }
            for row in rows {
                let organisation: String = row["organisation"]
                let series = check.seriesName(of: organisation)
                if let wanted, wanted != series { continue }
                guard let year = Self.period(start: row["period_start"], end: row["period_end"],
                                             instant: row["period_instant"])?.calendarYear else { continue }
                let reportEnd: String? = row["re"], reportStart: String? = row["rs"]
                let own = reportEnd == "\(year)-12-31" && reportStart == "\(year)-01-01"
                let agreed: Bool = row["agreed"]
                let ocr: Int = row["ocr_pages"] ?? 0
                let cell = Series.Cell(value: (row["value_text"] as String?).flatMap(SwedishNumberParser.decimal) ?? 0, file: row["file"],
                                       ownReport: own, agreed: agreed)
                let rank = (own ? 0 : 1, agreed ? 0 : 1, ocr, reportEnd ?? "")
                let concept: String = row["concept"]
                if let current = best[series]?[year]?[concept] {
                    let r = current.rank
                    if (r.0, r.1, r.2) < (rank.0, rank.1, rank.2) { continue }
                    if (r.0, r.1, r.2) == (rank.0, rank.1, rank.2) && r.3 >= rank.3 { continue }
                }
                best[series, default: [:]][year, default: [:]][concept] = Candidate(cell: cell, rank: rank)
                // The series is named after the organisation of its latest report.
                if (names[series]?.end ?? "") < (reportEnd ?? "") || names[series] == nil {
                    names[series] = (organisation, reportEnd ?? "")
                }
            }
            var result: [Series.Row] = []
            for series in best.keys.sorted() {
                for year in best[series]!.keys.sorted() {
                    let cells = best[series]![year]!.mapValues(\.cell)
                    result.append(Series.Row(series: series, organisation: names[series]?.name ?? series, year: year, cells: cells))
                }
            }
            return Series(rows: result)
        }
    }
}
