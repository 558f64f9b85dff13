import Foundation
import GRDB

extension Archive {
    /// What the cross-report check has already worked out, to be reused by
    /// a later run of it over the same archive: each pair's warnings, and
    /// each report's figures. Valid only for reports that have not changed
    /// since (a batch fills it while its last documents are still being
    /// extracted, leaving those out).
    public final class CheckProgress: @unchecked Sendable {
        fileprivate let lock = NSLock()
        fileprivate var own: [String: [PriorPeriodCheck.Figure]] = [:]
        fileprivate var restated: [String: [PriorPeriodCheck.Figure]] = [:]
        fileprivate var pairs: [String: [ReportWarning]] = [:]
        public init() {}
    }

    /// Runs the cross-report checks over the whole archive and replaces their
    /// warnings (they change whenever a report joins the archive); returns
    /// how many there are. Each warning belongs to the later report.
    /// - Parameter progress: pairs and figures worked out before by
    ///   `prepareCheckAcrossReports`, reused as they are.
    @discardableResult
    public func checkAcrossReports(_ check: PriorPeriodCheck, progress: CheckProgress = CheckProgress()) throws -> Int {
        try database.write { db in
            try db.execute(sql: "DELETE FROM warnings WHERE code = 'prior_period_mismatch'")
            let reports = try Self.checkedReports(db, excluding: [])
            var count = 0
            let pairs = try PairChecker(db, check: check, progress: progress)
            for (earlier, later) in check.pairs(reports) {
                let seq = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), -1) + 1 FROM warnings WHERE report = ?",
                                           arguments: [later.id]) ?? 0
                for (n, warning) in try pairs.warnings(earlier: earlier, later: later).enumerated() {
                    try Self.insert(warning, report: later.id, seq: seq + n, into: db)
                    count += 1
                }
            }
            return count
        }
    }

    /// Works out, without writing, the warnings of every pair the reports
    /// outside `excluded` (by sha256) make, for `checkAcrossReports` to reuse:
    /// what a batch does on a core its last documents leave idle.
    /// - Parameter stop: asked before each query; once true, what is done is kept.
    public func prepareCheckAcrossReports(_ check: PriorPeriodCheck, progress: CheckProgress, excluding excluded: Set<String>,
                                          until stop: () -> Bool = { false }) throws {
        try database.read { db in
            let reports = try Self.checkedReports(db, excluding: excluded)
            let pairs = try PairChecker(db, check: check, progress: progress)
            do {
                for (earlier, later) in check.pairs(reports) { _ = try pairs.warnings(earlier: earlier, later: later, until: stop) }
            } catch is CancellationError {}
        }
    }

    /// The reports the check compares: extracted, with an organisation and a period.
    static func checkedReports(_ db: Database, excluding excluded: Set<String>) throws -> [PriorPeriodCheck.Report] {
        var reports: [PriorPeriodCheck.Report] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT sha256, file, organisation, period_start, period_end, ocr_pages FROM reports
            WHERE status = 'ok' AND organisation IS NOT NULL AND period_end IS NOT NULL ORDER BY file
            """) {
            guard let period = Self.period(start: row["period_start"], end: row["period_end"], instant: nil) else { continue }
            let id: String = row["sha256"]
            guard !excluded.contains(id) else { continue }
            reports.append(.init(id: id, file: row["file"], organisation: row["organisation"], period: period,
                                  ocrPages: row["ocr_pages"] ?? 0))
        }
        return reports
    }

    /// One pair's warnings, from the progress made or worked out now (and
    /// then kept). A report meets several others (a series, and copies of
    /// one report under other names): its figures are read once.
    struct PairChecker {
        let check: PriorPeriodCheck
        let progress: CheckProgress
        let ownQuery: RawStatement
        let restatedQuery: RawStatement

        init(_ db: Database, check: PriorPeriodCheck, progress: CheckProgress) throws {
            self.check = check
            self.progress = progress
            ownQuery = try RawStatement(db, sql: """
                SELECT v.concept, v.dims, v.value_text, f.rounding, f.page, f.table_title, f.row_label, f.id
                FROM "values" v LEFT JOIN facts f
                  ON f.report = v.report AND f.id = substr(v.facts, 1, instr(v.facts || ' ', ' ') - 1)
                WHERE v.report = ? AND v.scenario = 'actual'
                  AND v.period_start IS ? AND v.period_end IS ? AND v.period_instant IS ?
                """)
            restatedQuery = try RawStatement(db, sql: """
                SELECT concept, dims, value_text, rounding, page, table_title, row_label, id FROM facts
                WHERE report = ? AND scenario = 'actual'
                  AND period_start IS ? AND period_end IS ? AND period_instant IS ?
                """)
        }

        /// - Parameter stop: asked before each query; once true, this throws
        ///   CancellationError (and keeps nothing of the pair).
        func warnings(earlier: PriorPeriodCheck.Report, later: PriorPeriodCheck.Report,
                      until stop: () -> Bool = { false }) throws -> [ReportWarning] {
            let pair = "\(earlier.id) \(later.id)"
            if let known = progress.lock.withLock({ progress.pairs[pair] }) { return known }
            var own: [PriorPeriodCheck.Figure] = []
            var restated: [PriorPeriodCheck.Figure] = []
            for period in PriorPeriodCheck.ownPeriods(of: earlier) {
                if stop() { throw CancellationError() }
                own += try figures(ownQuery, \.own, report: earlier.id, period: period)
                if stop() { throw CancellationError() }
                restated += try figures(restatedQuery, \.restated, report: later.id, period: period)
            }
            let warnings = check.mismatches(earlier: earlier, own: own, later: later, restated: restated)
            progress.lock.withLock { progress.pairs[pair] = warnings }
            return warnings
        }

        private func figures(_ query: RawStatement, _ cache: ReferenceWritableKeyPath<CheckProgress, [String: [PriorPeriodCheck.Figure]]>,
                             report: String, period: Period) throws -> [PriorPeriodCheck.Figure] {
            let key = "\(report) \(period)"
            if let known = progress.lock.withLock({ progress[keyPath: cache][key] }) { return known }
            let p = Archive.columns(period)
            var figures: [PriorPeriodCheck.Figure] = []
            try query.rows([report, p.start, p.end, p.instant]) { figures.append(Archive.figure($0, period: period)) }
            progress.lock.withLock { progress[keyPath: cache][key] = figures }
            return figures
        }
    }

    /// A figure from a row of concept, dims, value_text, rounding, page,
    /// table_title, row_label and the fact's id.
    static func figure(_ row: RawStatement.Row, period: Period) -> PriorPeriodCheck.Figure {
        let table = row.text(5), label = row.text(6), page = row.text(4).flatMap { Int($0) }
        let place = (table.map { "\u{201C}\($0)\u{201D}" } ?? "the text") + (label.map { " \($0)" } ?? "")
            + (page.map { " (p. \($0))" } ?? "")
        return PriorPeriodCheck.Figure(
            concept: row.text(0) ?? "", dims: row.text(1) ?? "{}", period: period,
            value: row.text(2).flatMap(SwedishNumberParser.decimal) ?? 0,
            rounding: row.text(3).flatMap(SwedishNumberParser.decimal) ?? 0,
            place: place, page: page, factID: row.text(7))
    }

    static func period(start: String?, end: String?, instant: String?) -> Period? {
        func day(_ text: String?) -> Day? {
            guard let parts = text?.split(separator: "-").compactMap({ Int($0) }), parts.count == 3 else { return nil }
            return Day(year: parts[0], month: parts[1], day: parts[2])
        }
        if let d = day(instant) { return .instant(d) }
        guard let s = day(start), let e = day(end) else { return nil }
        return .span(start: s, end: e)
    }
}

extension Archive {
    /// A report the archive holds: its sha256, the PDF's path as the batch
    /// was given it, and its JSON output (relative to the database's folder).
    public struct Entry: Sendable, Hashable {
        public var sha256: String
        public var file: String
        public var output: String
    }

    /// Every successfully extracted report, by file.
    public func entries() throws -> [Entry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT sha256, file, output FROM reports WHERE status = 'ok' ORDER BY file")
                .compactMap { row in
                    guard let output: String = row["output"] else { return nil }
                    return Entry(sha256: row["sha256"], file: row["file"], output: output)
                }
        }
    }

    /// The warnings the cross-report checks raised, by the sha256 of the
    /// report they belong to (the later one).
    public func acrossReportWarnings() throws -> [String: [ReportWarning]] {
        try database.read { db in
            var result: [String: [ReportWarning]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT * FROM warnings WHERE code = 'prior_period_mismatch' ORDER BY report, seq
                """) {
                func decimal(_ column: String) -> Decimal? { (row[column] as String?).flatMap(SwedishNumberParser.decimal) }
                func list(_ column: String) -> [String] {
                    (row[column] as String?)?.split(separator: " ").map(String.init) ?? []
                }
                var warning = ReportWarning(
                    code: row["code"], severity: ReportWarning.Severity(rawValue: row["severity"]) ?? .warning,
                    message: row["message"], concept: row["concept"],
                    period: Self.period(start: row["period_start"], end: row["period_end"], instant: row["period_instant"]),
                    expected: decimal("expected"), actual: decimal("actual"),
                    facts: list("facts"), pages: list("pages").compactMap { Int($0) })
                if let other: String = row["related_report"] {
                    let file = try String.fetchOne(db, sql: "SELECT file FROM reports WHERE sha256 = ?", arguments: [other])
                    warning.related = .init(sha256: other, file: file ?? other, facts: list("related_facts"),
                                            pages: list("related_pages").compactMap { Int($0) })
                }
                result[row["report"], default: []].append(warning)
            }
            return result
        }
    }
}
