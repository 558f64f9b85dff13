/// A table as a reader sees it on the page: a title, a unit, column headers,
/// and rows of a label and cells, every cell with its box and page.
///
/// It encodes in the contract's table shape (`../shared/contract/OUTPUT.md`):
/// `{"id", "title", "page", "unit", "columns", "rows": [{"label", "cells"}]}`,
/// with more fields beside them. Cell values are the figures as printed (in
/// the table's `unit`); scaling to kronor happens when facts are made.
public struct Table: Sendable, Hashable, Codable {
    /// `p18-t1`: page and order on the page where the table starts.
    public var id: String
    /// The title printed above it (`Resultaträkning`, `Not 2. Verksamhetens kostnader`).
    public var title: String?
    /// The document heading the table stands under (`Resultat- och
    /// balansräkning`, `1.1. Översikt över verksamhetens utveckling`).
    public var section: String?
    /// The page it starts on; `pages` lists all when it continues.
    public var page: Int
    public var pages: [Int]
    /// The money unit named by its unit line, header or title; nil when none is.
    public var unit: MoneyUnit?
    /// The text that named the unit (`Belopp i kr.`).
    public var unitText: String?
    /// What the header prints above the label column (`Belopp i kr.`, `Parter`).
    public var labelHeader: String?
    /// The figure columns, left to right.
    public var columns: [Column]
    public var rows: [Row]
    /// The region the table covers on its first page.
    public var bbox: Rect
    /// Set by the mapping stage: whether a rule claimed this table.
    public var mapped: Bool?

    public init(id: String, title: String?, section: String?, page: Int, pages: [Int], unit: MoneyUnit?, unitText: String?,
                labelHeader: String?, columns: [Column], rows: [Row], bbox: Rect, mapped: Bool?) {
        self.id = id
        self.title = title
        self.section = section
        self.page = page
        self.pages = pages
        self.unit = unit
        self.unitText = unitText
        self.labelHeader = labelHeader
        self.columns = columns
        self.rows = rows
        self.bbox = bbox
        self.mapped = mapped
    }

    enum CodingKeys: String, CodingKey {
        case id, title, section, page, pages, unit, columns, rows, bbox, mapped
        case unitText = "unit_text"
        case labelHeader = "label_header"
    }

    public struct Column: Sendable, Hashable, Codable {
        /// The header text, its lines joined (`2019-01-01 -2019-12-31`); empty when none is printed.
        public var header: String
        /// What the header says: period and scenario.
        public var heading: ColumnHeading
        /// The horizontal extent of the column's figures on the first page.
        public var x0: Double
        public var x1: Double

        public init(header: String, x0: Double, x1: Double) {
            self.header = header
            self.heading = ColumnHeading(parsing: header)
            self.x0 = (x0 * 100).rounded() / 100
            self.x1 = (x1 * 100).rounded() / 100
        }
    }

    public struct Row: Sendable, Hashable, Codable {
        /// The row's label, wrapped lines joined.
        public var label: String
        public var labelBox: Rect?
        /// One entry per column; nil where nothing is printed.
        public var cells: [Cell?]
        public var page: Int
        /// A sub-total or total (`Summa …`, `SUMMA …`, `Totalt`).
        public var isTotal: Bool
        /// Printed bold.
        public var isBold: Bool
        /// A label with no figures (`Tillgångar`, `Eget kapital och skulder`).
        public var isSection: Bool { cells.allSatisfy { $0 == nil } }

        enum CodingKeys: String, CodingKey {
            case label, cells, page
            case labelBox = "label_bbox"
            case isTotal = "total"
            case isBold = "bold"
        }

        public init(label: String, labelBox: Rect?, cells: [Cell?], page: Int, isTotal: Bool, isBold: Bool) {
            self.label = label
            self.labelBox = labelBox
            self.cells = cells
            self.page = page
            self.isTotal = isTotal
            self.isBold = isBold
        }
    }

    public struct Cell: Sendable, Hashable {
        /// The text as printed (digit groups joined with single spaces).
        public var text: String
        public var value: CellValue
        public var bbox: Rect
        public var page: Int
        /// OCR's confidence in the cell's words (the least of them); nil for the text layer.
        public var confidence: Double?

        public init(text: String, bbox: Rect, page: Int, confidence: Double? = nil) {
            self.text = text
            self.value = CellValue(parsing: text)
            self.bbox = bbox
            self.page = page
            self.confidence = confidence
        }
    }

    /// The row whose label matches `label` exactly (after whitespace folding).
    public func row(_ label: String) -> Row? {
        let wanted = label.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return rows.first { $0.label == wanted }
    }
}

extension Table.Cell: Codable {
    enum CodingKeys: String, CodingKey { case text, value, kind, percent, irregular, bbox, page, confidence }

    /// `{"text": "2 494 227", "value": 2494227, "bbox": [...], "page": 18}`;
    /// `kind` only when the cell is not a figure, `percent` only for percentages.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(value.value, forKey: .value)
        if value.kind != .number { try c.encode(value.kind, forKey: .kind) }
        if value.isPercent { try c.encode(true, forKey: .percent) }
        if value.irregular { try c.encode(true, forKey: .irregular) }
        try c.encode(bbox, forKey: .bbox)
        try c.encode(page, forKey: .page)
        try c.encodeIfPresent(confidence, forKey: .confidence)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(text: try c.decode(String.self, forKey: .text), bbox: try c.decode(Rect.self, forKey: .bbox),
                  page: try c.decode(Int.self, forKey: .page))
    }
}
