import Foundation

/// A mapping: the rules that turn one report layout's tables and prose into
/// facts. Read from a YAML file in `mappings/` (see `mappings/README.md`).
public struct Mapping: Sendable, Hashable {
    /// The highest `version:` this annals reads.
    public static let highestSupportedVersion = 1

    public var id: String
    public var description: String
    /// The mapping this one extends (its rules come after this one's).
    public var extends: String?
    public var match: [MatchRule]
    /// The unit of tables that print none.
    public var unit: MoneyUnit
    /// Rounding tolerance, in kronor: differences up to this are agreement.
    public var tolerance: Decimal
    /// Accept labels whose å ä ö é were lost (OCR).
    public var foldDiacritics: Bool
    /// Canonical party name → the spellings that mean it.
    public var parties: [String: [String]]
    public var tables: [TableRule]
    /// Organisations merged into the one whose reports this mapping reads
    /// (`merged_from: [Samordningsförbundet Pyramis]`): their reports are the
    /// earlier years of the same series in cross-report checks. Not inherited.
    public var mergedFrom: [String] = []
    public var prose: [ProseRule]
    /// Source classes, most authoritative first.
    public var precedence: [String]
    /// Where it was read from, for messages.
    public var file: String

    // Which settings the file wrote itself (the rest come from `extends`).
    var explicitUnit = false
    var explicitTolerance = false
    var explicitFold = false
    var explicitPrecedence = false
    var extendsLine = 1
    /// Whether the parent's prose rules apply too (`inherit_prose: false` for
    /// a layout whose sentences the common ones would misread).
    var inheritProse = true

    /// Scores a document: a rule that holds adds its weight.
    public struct MatchRule: Sendable, Hashable {
        public enum Test: Sendable, Hashable {
            /// Words on the first pages (folded: case, white space, diacritics).
            case text(String)
            /// A regular expression on the first pages' text.
            case regex(String)
            /// The report's year lies in this range.
            case years(ClosedRange<Int>)
        }
        public var test: Test
        public var weight: Double
        public var line: Int
    }

    /// How one kind of table becomes facts.
    public struct TableRule: Sendable, Hashable {
        public var id: String
        /// The table's title (or label header, or section heading) is one of these.
        public var titles: [LabelPattern]
        /// Source class for precedence: statement, note, overview, budget, participants, other.
        public var source: String
        /// Whether its figures are flows (a period) or stocks (a day).
        public var period: Concept.PeriodType
        /// The unit to read its figures in, whatever the table prints (for a
        /// layout known to print "Belopp tkr" over whole kronor).
        public var unit: MoneyUnit?
        public var columns: [ColumnRule]
        public var rows: [RowRule]
        public var groups: [GroupRule]
        /// Replace the parent's table of the same id instead of adding to it.
        public var replace: Bool
        public var line: Int
        var explicitSource = false
        var explicitPeriod = false
    }

    public struct ColumnRule: Sendable, Hashable {
        /// Which column: by 1-based index among the figure columns, or header patterns.
        public var index: Int?
        public var headers: [LabelPattern]
        public var skip: Bool
        public var scenario: Fact.Scenario?
        /// `report` (the report's own period), `prior` (the year before it), or a year.
        public var periodReference: String?
        /// A concept for the whole column (participant tables).
        public var concept: String?
        public var dims: [String: String]
        public var line: Int
    }

    public struct RowRule: Sendable, Hashable {
        public var labels: [LabelPattern]
        /// Nil: the row is recognised and ignored.
        public var concept: String?
        public var dims: [String: String]
        public var period: Concept.PeriodType?
        /// Only the n-th row (from 1) with a matching label.
        public var occurrence: Int?
        /// Only when the table has exactly this many rows with a matching label.
        public var count: Int?
        public var line: Int
    }

    /// A section or total row that qualifies the rows it heads or closes.
    public struct GroupRule: Sendable, Hashable {
        public enum Scope: String, Sendable, Hashable { case following, preceding }
        public var labels: [LabelPattern]
        public var dims: [String: String]
        public var scope: Scope
        public var line: Int
    }

    /// A sentence pattern for figures in prose (participants).
    public struct ProseRule: Sendable, Hashable {
        public var id: String
        public var pattern: LabelPattern
        /// Captured group → concept, and dims of that capture alone
        /// (`participants.new[gender=women]`).
        public var captures: [String: Capture]
        /// The heading the paragraph must stand under (nil: any).
        public var section: LabelPattern?
        public var dims: [String: String]
        public var line: Int
    }

    public struct Capture: Sendable, Hashable {
        public var concept: String
        public var dims: [String: String]
    }
}
