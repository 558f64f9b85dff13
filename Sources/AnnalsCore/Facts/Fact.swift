import Foundation

/// One occurrence of a figure in a report: one concept, period, scenario and
/// unit, with where it was printed (the contract's `facts` entries).
public struct Fact: Sendable, Hashable, Codable {
    public enum Scenario: String, Sendable, Hashable, Codable {
        case actual, budget, annualBudget = "annual_budget", deviation, forecast
    }

    /// Where the figure stands in the PDF.
    public struct Source: Sendable, Hashable, Codable {
        public var page: Int
        /// The table's title (or, for prose, the heading the sentence stands under).
        public var table: String?
        public var row: String?
        public var column: String?
        /// The text as printed.
        public var text: String
        /// The unit printed for it (`kr`, `tkr`), when one was.
        public var unit: String?
        public var bbox: Rect?
        /// Which mapping rule made the fact (`finsam-generic:income_statement`).
        public var rule: String?
        /// The table (its id in `tables`), row and column (0-based) it was read from.
        public var tableID: String?
        public var rowIndex: Int?
        public var columnIndex: Int?

        public init(page: Int, table: String?, row: String?, column: String?, text: String, unit: String?, bbox: Rect?,
                    rule: String?, tableID: String? = nil, rowIndex: Int? = nil, columnIndex: Int? = nil) {
            self.page = page
            self.table = table
            self.row = row
            self.column = column
            self.text = text
            self.unit = unit
            self.bbox = bbox
            self.rule = rule
            self.tableID = tableID
            self.rowIndex = rowIndex
            self.columnIndex = columnIndex
        }

        enum CodingKeys: String, CodingKey {
            case page, table, row, column, text, unit, bbox, rule
            case tableID = "table_id"
            case rowIndex = "row_index"
            case columnIndex = "column_index"
        }
    }

    public var id: String
    public var concept: String
    /// In `unit`: whole kronor for money.
    public var value: Decimal
    public var unit: Concept.Unit
    public var period: Period
    public var scenario: Scenario
    public var dims: [String: String]
    public var source: Source
    public var confidence: Double
    /// How far the true figure may lie from `value` because of the printed
    /// precision: 500 kr for a figure printed in whole tkr, 0,5 kr in kronor.
    public var rounding: Decimal = 0

    public init(id: String, concept: String, value: Decimal, unit: Concept.Unit, period: Period, scenario: Scenario,
                dims: [String: String], source: Source, confidence: Double, rounding: Decimal = 0) {
        self.id = id
        self.concept = concept
        self.value = value
        self.unit = unit
        self.period = period
        self.scenario = scenario
        self.dims = dims
        self.source = source
        self.confidence = confidence
        self.rounding = rounding
    }

    enum CodingKeys: String, CodingKey {
        case id, concept, value, unit, period, scenario, dims, source, confidence, rounding
    }

    /// The consolidation key: concept, dims, period, scenario.
    public var key: Key { Key(concept: concept, dims: dims, period: period, scenario: scenario) }

    public struct Key: Sendable, Hashable {
        public var concept: String
        public var dims: [String: String]
        public var period: Period
        public var scenario: Scenario
    }
}

/// One consolidated number per key (the contract's `values` entries).
public struct ConsolidatedValue: Sendable, Hashable, Codable {
    public var concept: String
    public var dims: [String: String]
    public var scenario: Fact.Scenario
    public var period: Period
    public var value: Decimal
    public var unit: Concept.Unit
    /// The facts behind it, most authoritative first.
    public var facts: [String]
    /// False when the occurrences differ beyond the mapping's tolerance.
    public var agreed: Bool
    public var confidence: Double
}

/// A disagreement or a notice, with both numbers and both places.
public struct ReportWarning: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case error, warning, info
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    }

    public var code: String
    public var severity: Severity
    public var message: String
    public var concept: String?
    public var period: Period?
    public var expected: Decimal?
    public var actual: Decimal?
    public var difference: Decimal?
    public var facts: [String]
    public var pages: [Int]
    /// The other report's places, when the disagreement is with another
    /// report of the archive (`prior_period_mismatch`): `facts` and `pages`
    /// above are this report's own.
    public var related: Related?

    /// Places in another report: its sha256, file, fact ids and pages.
    public struct Related: Sendable, Hashable, Codable {
        public var sha256: String
        public var file: String
        public var facts: [String]
        public var pages: [Int]

        public init(sha256: String, file: String, facts: [String], pages: [Int]) {
            self.sha256 = sha256
            self.file = file
            self.facts = facts
            self.pages = pages
        }
    }

    public init(code: String, severity: Severity, message: String, concept: String? = nil, period: Period? = nil,
                expected: Decimal? = nil, actual: Decimal? = nil, facts: [String] = [], pages: [Int] = [],
                related: Related? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.concept = concept
        self.period = period
        self.expected = expected
        self.actual = actual
        self.difference = expected.flatMap { e in actual.map { $0 - e } }
        self.facts = facts
        self.pages = pages
        self.related = related
    }
}

/// A whole extracted report: the contract's top level (`annals.report/1`).
public struct Report: Sendable, Codable {
    public static let schema = "annals.report/1"

    public struct Tool: Sendable, Codable {
        public var name = "annals"
        public var version = AnnalsVersion.current
    }

    public struct Source: Sendable, Codable {
        public var file: String
        public var sha256: String
        public var pages: Int
        public var textPages: [Int]
        public var ocrPages: [Int]
        public var emptyPages: [Int]
        enum CodingKeys: String, CodingKey {
            case file, sha256, pages
            case textPages = "text_pages"
            case ocrPages = "ocr_pages"
            case emptyPages = "empty_pages"
        }
    }

    public struct Layout: Sendable, Codable {
        public struct Candidate: Sendable, Codable { public var id: String; public var score: Double }
        public var id: String
        public var score: Double
        public var candidates: [Candidate]
    }

    public struct Organisation: Sendable, Codable { public var name: String? }

    public struct Identity: Sendable, Codable {
        public var type: ReportIdentity.Kind?
        public var period: Period?
    }

    public var schema = Report.schema
    public var tool = Tool()
    public var source: Source
    public var layout: Layout
    public var organisation: Organisation
    public var report: Identity
    public var facts: [Fact]
    public var values: [ConsolidatedValue]
    public var tables: [Table]
    public var warnings: [ReportWarning]
}

extension Report {
    enum CodingKeys: String, CodingKey {
        case schema, tool, source, layout, organisation, report, facts, values, tables, warnings
    }

    /// Set in a decoder's `userInfo` to leave `tables` empty, for reading
    /// many reports' facts, values and warnings: the tables are most of a
    /// report's JSON and a fifth of the time to decode it.
    public static let withoutTables = CodingUserInfoKey(rawValue: "annals.report.withoutTables")!

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        tool = try c.decode(Tool.self, forKey: .tool)
        source = try c.decode(Source.self, forKey: .source)
        layout = try c.decode(Layout.self, forKey: .layout)
        organisation = try c.decode(Organisation.self, forKey: .organisation)
        report = try c.decode(Identity.self, forKey: .report)
        facts = try c.decode([Fact].self, forKey: .facts)
        values = try c.decode([ConsolidatedValue].self, forKey: .values)
        tables = decoder.userInfo[Self.withoutTables] as? Bool == true ? [] : try c.decode([Table].self, forKey: .tables)
        warnings = try c.decode([ReportWarning].self, forKey: .warnings)
    }
}
