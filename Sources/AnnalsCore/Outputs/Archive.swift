import Foundation
import GRDB

/// The batch database: every report extracted into one folder, its facts,
/// consolidated values and warnings, and the files that failed.
///
/// Keyed by the PDF's sha256, so extracting a document again replaces its
/// rows instead of adding them: the database is the running archive of a
/// backfill. Each document is written in one transaction; an interrupted
/// batch leaves every document either wholly in or wholly out.
public struct Archive: Sendable {
    let database: DatabaseQueue

    /// Opens (or creates) the database at `url` and brings its schema up to date.
    ///
    /// Several processes write to it at once (a batch's workers each store
    /// their own reports), so a writer waits for another's transaction
    /// instead of failing. Write-ahead logging with `synchronous = NORMAL`:
    /// a commit costs no sync to disk, and a crashed process still leaves
    /// every document wholly in or wholly out (a power cut may lose the last
    /// documents, which `--resume` then extracts again).
    ///
    /// - Parameter checkpoints: Whether this connection copies the log into
    ///   the database as it grows. A batch's workers leave that to the batch,
    ///   which does it between their documents: a checkpoint waits on the
    ///   disk, and a worker should not.
    /// - Parameter patience: How long, in seconds, to wait for another
    ///   connection's lock before giving up with SQLITE_BUSY.
    public init(url: URL, checkpoints: Bool = true, patience: Double = 120) throws {
        var configuration = Configuration()
        configuration.busyMode = .callback(Self.waitForOthers(seconds: patience))
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            if !checkpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        database = try DatabaseQueue(path: url.path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    /// Waits while another connection holds a lock, for about `seconds`.
    /// A worker's transaction takes a few milliseconds: SQLite's own timeout
    /// sleeps 1, 2, 5, 10 ms… between looks, and would keep a core idle
    /// longer than the wait. So: 0.1 ms steps for the first 10 ms, then 1 ms.
    static func waitForOthers(seconds: Double) -> Database.BusyCallback {
        let tries = 100 + max(0, Int((seconds - 0.01) * 1000))
        return { tried in
            usleep(tried < 100 ? 100 : 1000)
            return tried < tries
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE reports (
                    sha256 TEXT PRIMARY KEY NOT NULL,
                    file TEXT NOT NULL,
                    output TEXT,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
                    reason TEXT,
                    organisation TEXT,
                    type TEXT,
                    period_start TEXT,
                    period_end TEXT,
                    pages INTEGER,
                    ocr_pages INTEGER,
                    layout TEXT,
                    tool_version TEXT,
                    extracted_at TEXT NOT NULL
                );
                CREATE INDEX reports_organisation ON reports(organisation, period_end);
                CREATE TABLE facts (
                    report TEXT NOT NULL REFERENCES reports(sha256) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    concept TEXT NOT NULL,
                    dims TEXT NOT NULL,
                    period_start TEXT, period_end TEXT, period_instant TEXT,
                    scenario TEXT NOT NULL,
                    value NUMERIC NOT NULL,
                    value_text TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    page INTEGER NOT NULL,
                    bbox TEXT,
                    printed TEXT NOT NULL,
                    table_title TEXT, row_label TEXT, column_label TEXT, rule TEXT,
                    confidence REAL NOT NULL,
                    rounding TEXT NOT NULL,
                    PRIMARY KEY (report, id)
                );
                CREATE INDEX facts_concept ON facts(concept);
                CREATE TABLE "values" (
                    report TEXT NOT NULL REFERENCES reports(sha256) ON DELETE CASCADE,
                    concept TEXT NOT NULL,
                    dims TEXT NOT NULL,
                    period_start TEXT, period_end TEXT, period_instant TEXT,
                    scenario TEXT NOT NULL,
                    value NUMERIC NOT NULL,
                    value_text TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    agreed INTEGER NOT NULL,
                    confidence REAL NOT NULL,
                    facts TEXT NOT NULL
                );
                CREATE INDEX values_report ON "values"(report);
                CREATE INDEX values_concept ON "values"(concept, period_end);
                CREATE TABLE warnings (
                    report TEXT NOT NULL REFERENCES reports(sha256) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    code TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    message TEXT NOT NULL,
                    concept TEXT,
                    period_start TEXT, period_end TEXT, period_instant TEXT,
                    expected TEXT, actual TEXT, difference TEXT,
                    pages TEXT NOT NULL,
                    facts TEXT NOT NULL,
                    PRIMARY KEY (report, seq)
                );
                CREATE INDEX warnings_code ON warnings(code);
                """)
        }
        migrator.registerMigration("v2: related places") { db in
            // A cross-report warning names places in the other report too.
            try db.execute(sql: """
                ALTER TABLE warnings ADD COLUMN related_report TEXT;
                ALTER TABLE warnings ADD COLUMN related_facts TEXT;
                ALTER TABLE warnings ADD COLUMN related_pages TEXT;
                """)
        }
        return migrator
    }

    /// Replaces everything known about `report`'s PDF with this extraction;
    /// `file` is the path to record (the batch's, as the user gave it).
    public func store(_ report: Report, file: String? = nil, output: String, at date: Date = Date()) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM reports WHERE sha256 = ?", arguments: [report.source.sha256])
            let period = Self.columns(report.report.period)
            try db.execute(sql: """
                INSERT INTO reports (sha256, file, output, status, organisation, type, period_start, period_end,
                                     pages, ocr_pages, layout, tool_version, extracted_at)
                VALUES (?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    report.source.sha256, file ?? report.source.file, output, report.organisation.name,
                    report.report.type?.rawValue, period.start ?? period.instant, period.end ?? period.instant,
                    report.source.pages, report.source.ocrPages.count, report.layout.id, report.tool.version,
                    Self.timestamp(date),
                ])
            let sha = report.source.sha256
            // A report names a handful of periods, for hundreds of rows.
            var periods: [Period?: (start: String?, end: String?, instant: String?)] = [:]
            func columns(_ period: Period?) -> (start: String?, end: String?, instant: String?) {
                if let known = periods[period] { return known }
                let made = Self.columns(period)
                periods[period] = made
                return made
            }
            // One statement compiled for all rows of each table: a report has hundreds.
            let facts = try RawStatement(db, sql: "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for fact in report.facts {
                let p = columns(fact.period)
                facts.bind(sha); facts.bind(fact.id); facts.bind(fact.concept); facts.bind(Self.json(fact.dims))
                facts.bind(p.start); facts.bind(p.end); facts.bind(p.instant)
                facts.bind(fact.scenario.rawValue); facts.bind(Self.number(fact.value)); facts.bind(Self.text(fact.value))
                facts.bind(fact.unit.rawValue); facts.bind(fact.source.page); facts.bind(fact.source.bbox.map(Self.text))
                facts.bind(fact.source.text); facts.bind(fact.source.table); facts.bind(fact.source.row)
                facts.bind(fact.source.column); facts.bind(fact.source.rule); facts.bind(fact.confidence)
                facts.bind("\(fact.rounding)")
                try facts.run()
            }
            let values = try RawStatement(db, sql: #"INSERT INTO "values" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#)
            for value in report.values {
                let p = columns(value.period)
                values.bind(sha); values.bind(value.concept); values.bind(Self.json(value.dims))
                values.bind(p.start); values.bind(p.end); values.bind(p.instant); values.bind(value.scenario.rawValue)
                values.bind(Self.number(value.value)); values.bind(Self.text(value.value)); values.bind(value.unit.rawValue)
                values.bind(value.agreed); values.bind(value.confidence); values.bind(value.facts.joined(separator: " "))
                try values.run()
            }
            for (seq, warning) in report.warnings.enumerated() {
                try Self.insert(warning, report: sha, seq: seq, into: db)
            }
        }
    }

    /// Copies what the log holds into the database as far as no reader
    /// needs it, without waiting for writers (a passive checkpoint); returns
    /// the number of pages the log held.
    @discardableResult
    public func checkpoint() throws -> Int {
        try database.writeWithoutTransaction { db in try db.checkpoint(.passive).walFrameCount }
    }

    /// Copies the whole log into the database, waiting for readers and
    /// writers (as long as the connection's patience), and empties the log
    /// file: closing the database then has nothing left to do but remove an
    /// empty file (removing a full one frees its blocks, which can take
    /// milliseconds on a disk that discards them).
    public func checkpointAndTruncate() throws {
        try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Records that the PDF with this sha256 could not be extracted, and why;
    /// an earlier success with the same bytes is kept (a timeout under load
    /// must not erase a good extraction).
    public func storeFailure(sha256: String, file: String, reason: String, at date: Date = Date()) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM reports WHERE sha256 = ? AND status = 'failed'", arguments: [sha256])
            try db.execute(sql: """
                INSERT OR IGNORE INTO reports (sha256, file, status, reason, extracted_at) VALUES (?, ?, 'failed', ?, ?)
                """, arguments: [sha256, file, reason, Self.timestamp(date)])
        }
    }

    /// The output file recorded for each successfully extracted sha256.
    public func outputs() throws -> [String: String] {
        try database.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sha256, output FROM reports WHERE status = 'ok'") {
                result[row["sha256"]] = row["output"]
            }
            return result
        }
    }

    /// Runs a read-only query, for the summaries, the review and tests: each
    /// row as column name → text (NULL columns left out).
    public func rows(_ sql: String, arguments: [String?] = []) throws -> [[String: String]] {
        var result: [[String: String]] = []
        try database.read { db in
            try RawStatement(db, sql: sql).rows(arguments) { row in
                var named: [String: String] = [:]
                for i in 0..<row.count { named[row.name(i)] = row.text(i) }
                result.append(named)
            }
        }
        return result
    }

    static func insert(_ warning: ReportWarning, report: String, seq: Int, into db: Database) throws {
        let p = Self.columns(warning.period)
        try db.cachedStatement(sql: """
            INSERT INTO warnings (report, seq, code, severity, message, concept, period_start, period_end, period_instant,
                                  expected, actual, difference, pages, facts, related_report, related_facts, related_pages)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                report, seq, warning.code, warning.severity.rawValue, warning.message, warning.concept,
                p.start, p.end, p.instant, warning.expected.map { "\($0)" }, warning.actual.map { "\($0)" },
                warning.difference.map { "\($0)" },
                warning.pages.map(String.init).joined(separator: " "), warning.facts.joined(separator: " "),
                warning.related?.sha256, warning.related?.facts.joined(separator: " "),
                warning.related?.pages.map(String.init).joined(separator: " "),
            ])
    }

    static func columns(_ period: Period?) -> (start: String?, end: String?, instant: String?) {
        switch period {
        case .span(let s, let e)?: ("\(s)", "\(e)", nil)
        case .instant(let d)?: (nil, nil, "\(d)")
        case nil: (nil, nil, nil)
        }
    }

    /// A figure as the database holds it.
    enum Number: Equatable { case integer(Int64), text(String) }

    /// An integral amount as an INTEGER, anything else as its decimal text,
    /// which SQLite's NUMERIC affinity stores exactly when it can.
    static func number(_ value: Decimal) -> Number {
        if value.rounded() == value, let i = Int64(exactly: NSDecimalNumber(decimal: value).int64Value),
           Decimal(i) == value {
            return .integer(i)
        }
        return .text(text(value))
    }

    /// Dimensions as JSON, as JSONEncoder writes them (sorted keys), by the
    /// report's JSON writer: a report stores hundreds.
    static func json(_ dims: [String: String]) -> String {
        guard !dims.isEmpty else { return "{}" }
        var writer = ReportJSONWriter(pretty: false)
        writer.write(dims)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// A box as `[x0, y0, x1, y1]`, at the hundredth of a point the report's
    /// JSON gives (the batch once stored boxes read back from the JSON).
    static func text(_ box: Rect) -> String {
        func r(_ v: Double) -> Double { (v * 100).rounded() / 100 }
        return "[\(r(box.x0)), \(r(box.y0)), \(r(box.x1)), \(r(box.y1))]"
    }

    /// A figure's text, as `description` writes it.
    static func text(_ value: Decimal) -> String {
        var writer = ReportJSONWriter(pretty: false)
        writer.decimal(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
