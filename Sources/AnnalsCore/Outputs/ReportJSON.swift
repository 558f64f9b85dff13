import Foundation

public extension Report {
    /// The report as the contract's JSON (`annals.report/1`): byte for byte
    /// what `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`,
    /// or with `.prettyPrinted` added when `pretty` is true.
    ///
    /// Written straight into a byte buffer: Codable's containers, boxes and
    /// per-object key sorting cost a tenth of an extraction's CPU.
    ///
    /// - Throws: `EncodingError.invalidValue` for an infinite or NaN `Double`,
    ///   where `JSONEncoder` (with its default strategy) throws too.
    func jsonData(pretty: Bool = false) throws -> Data {
        var writer = ReportJSONWriter(pretty: pretty)
        try writer.write(self)
        return Data(writer.bytes)
    }
}

/// Writes a `Report` as JSON, reproducing swift-foundation's `JSONEncoder`
/// and its `JSONWriter` exactly:
///
/// - keys in the order of their UTF-8 bytes (the `.sortedKeys` order outside
///   Apple's framework), written here already sorted for the fixed keys;
/// - strings escaped as `JSONWriter` does with `.withoutEscapingSlashes`:
///   `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, the other bytes below 0x20 as
///   `\u00XX` in lower-case hex; everything else (`/`, U+2028, non-ASCII)
///   as its UTF-8;
/// - a `Double` as its `description` less a trailing `.0` (`-0.0` → `-0`,
///   `1e-07`, `1e+21`), a `Decimal` as its `description` (made here from the
///   mantissa and exponent when the mantissa fits 64 bits);
/// - nil optionals left out (the synthesized `encodeIfPresent`), except
///   the `nil` cells of a row and a cell's `value`, which are `null`;
/// - pretty: two spaces an indent level, `" : "` after a key, an empty array
///   or object as the bracket, two newlines, the indent and the bracket.
///
/// Every custom `encode(to:)` of the report's types has its twin here
/// (`Period`, `Day`, `ColumnHeading.Reference`, `Rect`, `Table.Cell`); a change
/// to one must be made to the other, which `ReportJSONTests` checks.
struct ReportJSONWriter {
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    private var indent = 0

    init(pretty: Bool) {
        self.pretty = pretty
    }

    // MARK: The report's types, keys in sorted order

    mutating func write(_ report: Report) throws {
        // A guess at the size, to spare the buffer most of its regrowths: C's
        // report takes ≈ 460 bytes a fact, 210 a value, 95 a cell (label
        // included), and about twice as much pretty.
        let cells = report.tables.reduce(0) { $0 + $1.rows.count * ($1.columns.count + 1) }
        let compact = 2048 + report.facts.count * 500 + report.values.count * 250 + cells * 110
        bytes.reserveCapacity(pretty ? compact * 2 : compact)

        var first = true
        open("{")
        key("facts", &first)
        try array(report.facts) { try $0.write($1) }
        key("layout", &first)
        try write(report.layout)
        key("organisation", &first)
        write(report.organisation)
        key("report", &first)
        write(report.report)
        key("schema", &first)
        string(report.schema)
        key("source", &first)
        write(report.source)
        key("tables", &first)
        try array(report.tables) { try $0.write($1) }
        key("tool", &first)
        write(report.tool)
        key("values", &first)
        try array(report.values) { try $0.write($1) }
        key("warnings", &first)
        try array(report.warnings) { try $0.write($1) }
        close("}")
    }

    mutating func write(_ tool: Report.Tool) {
        var first = true
        open("{")
        key("name", &first)
        string(tool.name)
        key("version", &first)
        string(tool.version)
        close("}")
    }

    mutating func write(_ source: Report.Source) {
        var first = true
        open("{")
        key("empty_pages", &first)
        integers(source.emptyPages)
        key("file", &first)
        string(source.file)
        key("ocr_pages", &first)
        integers(source.ocrPages)
        key("pages", &first)
        integer(source.pages)
        key("sha256", &first)
        string(source.sha256)
        key("text_pages", &first)
        integers(source.textPages)
        close("}")
    }

    mutating func write(_ layout: Report.Layout) throws {
        var first = true
        open("{")
        key("candidates", &first)
        try array(layout.candidates) { writer, candidate in
            var first = true
            writer.open("{")
            writer.key("id", &first)
            writer.string(candidate.id)
            writer.key("score", &first)
            try writer.double(candidate.score)
            writer.close("}")
        }
        key("id", &first)
        string(layout.id)
        key("score", &first)
        try double(layout.score)
        close("}")
    }

    mutating func write(_ organisation: Report.Organisation) {
        var first = true
        open("{")
        if let name = organisation.name {
            key("name", &first)
            string(name)
        }
        close("}")
    }

    mutating func write(_ identity: Report.Identity) {
        var first = true
        open("{")
        if let period = identity.period {
            key("period", &first)
            write(period)
        }
        if let type = identity.type {
            key("type", &first)
            string(type.rawValue)
        }
        close("}")
    }

    mutating func write(_ fact: Fact) throws {
        var first = true
        open("{")
        key("concept", &first)
        string(fact.concept)
        key("confidence", &first)
        try double(fact.confidence)
        key("dims", &first)
        write(fact.dims)
        key("id", &first)
        string(fact.id)
        key("period", &first)
        write(fact.period)
        key("rounding", &first)
        decimal(fact.rounding)
        key("scenario", &first)
        string(fact.scenario.rawValue)
        key("source", &first)
        try write(fact.source)
        key("unit", &first)
        string(fact.unit.rawValue)
        key("value", &first)
        decimal(fact.value)
        close("}")
    }

    mutating func write(_ source: Fact.Source) throws {
        var first = true
        open("{")
        if let bbox = source.bbox {
            key("bbox", &first)
            try write(bbox)
        }
        if let column = source.column {
            key("column", &first)
            string(column)
        }
        if let columnIndex = source.columnIndex {
            key("column_index", &first)
            integer(columnIndex)
        }
        key("page", &first)
        integer(source.page)
        if let row = source.row {
            key("row", &first)
            string(row)
        }
        if let rowIndex = source.rowIndex {
            key("row_index", &first)
            integer(rowIndex)
        }
        if let rule = source.rule {
            key("rule", &first)
            string(rule)
        }
        if let table = source.table {
            key("table", &first)
            string(table)
        }
        if let tableID = source.tableID {
            key("table_id", &first)
            string(tableID)
        }
        key("text", &first)
        string(source.text)
        if let unit = source.unit {
            key("unit", &first)
            string(unit)
        }
        close("}")
    }

    mutating func write(_ value: ConsolidatedValue) throws {
        var first = true
        open("{")
        key("agreed", &first)
        boolean(value.agreed)
        key("concept", &first)
        string(value.concept)
        key("confidence", &first)
        try double(value.confidence)
        key("dims", &first)
        write(value.dims)
        key("facts", &first)
        strings(value.facts)
        key("period", &first)
        write(value.period)
        key("scenario", &first)
        string(value.scenario.rawValue)
        key("unit", &first)
        string(value.unit.rawValue)
        key("value", &first)
        decimal(value.value)
        close("}")
    }

    mutating func write(_ warning: ReportWarning) throws {
        var first = true
        open("{")
        if let actual = warning.actual {
            key("actual", &first)
            decimal(actual)
        }
        key("code", &first)
        string(warning.code)
        if let concept = warning.concept {
            key("concept", &first)
            string(concept)
        }
        if let difference = warning.difference {
            key("difference", &first)
            decimal(difference)
        }
        if let expected = warning.expected {
            key("expected", &first)
            decimal(expected)
        }
        key("facts", &first)
        strings(warning.facts)
        key("message", &first)
        string(warning.message)
        key("pages", &first)
        integers(warning.pages)
        if let period = warning.period {
            key("period", &first)
            write(period)
        }
        if let related = warning.related {
            key("related", &first)
            var inner = true
            open("{")
            key("facts", &inner)
            strings(related.facts)
            key("file", &inner)
            string(related.file)
            key("pages", &inner)
            integers(related.pages)
            key("sha256", &inner)
            string(related.sha256)
            close("}")
        }
        key("severity", &first)
        string(warning.severity.rawValue)
        close("}")
    }

    mutating func write(_ table: Table) throws {
        var first = true
        open("{")
        key("bbox", &first)
        try write(table.bbox)
        key("columns", &first)
        try array(table.columns) { try $0.write($1) }
        key("id", &first)
        string(table.id)
        if let labelHeader = table.labelHeader {
            key("label_header", &first)
            string(labelHeader)
        }
        if let mapped = table.mapped {
            key("mapped", &first)
            boolean(mapped)
        }
        key("page", &first)
        integer(table.page)
        key("pages", &first)
        integers(table.pages)
        key("rows", &first)
        try array(table.rows) { try $0.write($1) }
        if let section = table.section {
            key("section", &first)
            string(section)
        }
        if let title = table.title {
            key("title", &first)
            string(title)
        }
        if let unit = table.unit {
            key("unit", &first)
            string(unit.rawValue)
        }
        if let unitText = table.unitText {
            key("unit_text", &first)
            string(unitText)
        }
        close("}")
    }

    mutating func write(_ column: Table.Column) throws {
        var first = true
        open("{")
        key("header", &first)
        string(column.header)
        key("heading", &first)
        write(column.heading)
        key("x0", &first)
        try double(column.x0)
        key("x1", &first)
        try double(column.x1)
        close("}")
    }

    mutating func write(_ heading: ColumnHeading) {
        var first = true
        open("{")
        key("note_column", &first)
        boolean(heading.isNoteColumn)
        if let reference = heading.reference {
            key("reference", &first)
            // `ColumnHeading.Reference.encode(to:)`: a span as a `Period`.
            switch reference {
            case .span(let start, let end):
                write(Period.span(start: start, end: end))
            case .date(let day):
                var inner = true
                open("{")
                key("date", &inner)
                write(day)
                close("}")
            case .year(let year):
                var inner = true
                open("{")
                key("year", &inner)
                integer(year)
                close("}")
            }
        }
        if let scenario = heading.scenario {
            key("scenario", &first)
            string(scenario.rawValue)
        }
        key("text", &first)
        string(heading.text)
        close("}")
    }

    mutating func write(_ row: Table.Row) throws {
        var first = true
        open("{")
        key("bold", &first)
        boolean(row.isBold)
        key("cells", &first)
        try array(row.cells) { writer, cell in
            if let cell { try writer.write(cell) } else { writer.raw("null") }
        }
        key("label", &first)
        string(row.label)
        if let labelBox = row.labelBox {
            key("label_bbox", &first)
            try write(labelBox)
        }
        key("page", &first)
        integer(row.page)
        key("total", &first)
        boolean(row.isTotal)
        close("}")
    }

    /// `Table.Cell.encode(to:)`: `kind`, `percent` and `irregular` only when
    /// they say something; `value` always, `null` when the cell is no figure.
    mutating func write(_ cell: Table.Cell) throws {
        var first = true
        open("{")
        key("bbox", &first)
        try write(cell.bbox)
        if let confidence = cell.confidence {
            key("confidence", &first)
            try double(confidence)
        }
        if cell.value.irregular {
            key("irregular", &first)
            boolean(true)
        }
        if cell.value.kind != .number {
            key("kind", &first)
            string(cell.value.kind.rawValue)
        }
        key("page", &first)
        integer(cell.page)
        if cell.value.isPercent {
            key("percent", &first)
            boolean(true)
        }
        key("text", &first)
        string(cell.text)
        key("value", &first)
        if let value = cell.value.value { decimal(value) } else { raw("null") }
        close("}")
    }

    /// `Period.encode(to:)`: `{"end", "start"}` or `{"instant"}`.
    mutating func write(_ period: Period) {
        var first = true
        open("{")
        switch period {
        case .span(let start, let end):
            key("end", &first)
            write(end)
            key("start", &first)
            write(start)
        case .instant(let day):
            key("instant", &first)
            write(day)
        }
        close("}")
    }

    /// `Day.encode(to:)`: its `description`, `YYYY-MM-DD`, without making the string.
    mutating func write(_ day: Day) {
        bytes.append(UInt8(ascii: "\""))
        padded(day.year, 4)
        bytes.append(UInt8(ascii: "-"))
        padded(day.month, 2)
        bytes.append(UInt8(ascii: "-"))
        padded(day.day, 2)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `Rect.encode(to:)`: `[x0, y0, x1, y1]` to the hundredth.
    mutating func write(_ rect: Rect) throws {
        var first = true
        open("[")
        element(&first)
        try double((rect.x0 * 100).rounded() / 100)
        element(&first)
        try double((rect.y0 * 100).rounded() / 100)
        element(&first)
        try double((rect.x1 * 100).rounded() / 100)
        element(&first)
        try double((rect.y1 * 100).rounded() / 100)
        close("]")
    }

    /// A `[String: String]`, its keys in UTF-8 order as `.sortedKeys` sorts them
    /// (not `String`'s `<`, which compares canonically equivalent forms).
    mutating func write(_ dictionary: [String: String]) {
        var first = true
        open("{")
        if dictionary.count == 1, let only = dictionary.first {
            element(&first)
            string(only.key)
            separator()
            string(only.value)
        } else if dictionary.count > 1 {
            for (k, v) in dictionary.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                element(&first)
                string(k)
                separator()
                string(v)
            }
        }
        close("}")
    }

    // MARK: Containers

    /// An opening bracket: what follows is indented one level more.
    private mutating func open(_ bracket: Unicode.Scalar) {
        bytes.append(UInt8(ascii: bracket))
        if pretty {
            bytes.append(UInt8(ascii: "\n"))
            indent += 1
        }
    }

    /// A closing bracket on its own line at the outer level; an empty
    /// container gets it too, after a blank line, as `JSONWriter` writes it.
    private mutating func close(_ bracket: Unicode.Scalar) {
        if pretty {
            bytes.append(UInt8(ascii: "\n"))
            indent -= 1
            writeIndent()
        }
        bytes.append(UInt8(ascii: bracket))
    }

    /// What comes before an element of an array or an object: a comma after
    /// the first, and (pretty) a new line and the indent.
    private mutating func element(_ first: inout Bool) {
        if first {
            first = false
        } else {
            bytes.append(UInt8(ascii: ","))
            if pretty { bytes.append(UInt8(ascii: "\n")) }
        }
        if pretty { writeIndent() }
    }

    /// A fixed key (plain ASCII, nothing to escape) and its colon.
    private mutating func key(_ name: StaticString, _ first: inout Bool) {
        element(&first)
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        separator()
    }

    private mutating func separator() {
        if pretty {
            bytes.append(UInt8(ascii: " "))
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private mutating func writeIndent() {
        for _ in 0..<indent {
            bytes.append(UInt8(ascii: " "))
            bytes.append(UInt8(ascii: " "))
        }
    }

    private mutating func array<C: Collection>(_ elements: C, _ body: (inout ReportJSONWriter, C.Element) throws -> Void) rethrows {
        var first = true
        open("[")
        for e in elements {
            element(&first)
            try body(&self, e)
        }
        close("]")
    }

    private mutating func integers(_ values: [Int]) {
        array(values) { $0.integer($1) }
    }

    private mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }

    // MARK: Scalars

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func boolean(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// `Int.description`.
    mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude)
    }

    /// The decimal digits of `value`, most significant first.
    private mutating func digits(_ value: UInt) {
        var length = 1
        var m = value
        while m >= 10 {
            m /= 10
            length += 1
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: length))
        var v = value
        var i = bytes.count
        repeat {
            i -= 1
            bytes[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
    }

    /// `Day.padded`: at least `width` characters, zeros after the sign.
    private mutating func padded(_ value: Int, _ width: Int) {
        var length = 1
        var m = value.magnitude
        while m >= 10 {
            m /= 10
            length += 1
        }
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            length += 1
        }
        for _ in 0..<max(0, width - length) { bytes.append(UInt8(ascii: "0")) }
        digits(value.magnitude)
    }

    /// What `JSONEncoder` writes for a `Double`: its shortest round-trip
    /// `description`, less a trailing `.0`.
    mutating func double(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Unable to encode Double.\(value) directly in JSON."))
        }
        // Whole numbers of moderate size are most of a report's numbers
        // (pages of boxes, scores of 1): their description is the integer's and ".0".
        if value.rounded(.towardZero) == value, abs(value) < 1e15 {
            if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
            digits(UInt(abs(value)))
            return
        }
        var text = value.description
        text.withUTF8 { utf8 in
            let count = utf8.count >= 2 && utf8[utf8.count - 2] == UInt8(ascii: ".") && utf8[utf8.count - 1] == UInt8(ascii: "0")
                ? utf8.count - 2 : utf8.count
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<count]))
        }
    }

    /// What `JSONEncoder` writes for a `Decimal`: its `description`, the
    /// mantissa's digits with the decimal point placed by the exponent
    /// (`-1234.5`, `0.005`, `2494227000`; `15.00` when the mantissa is 1500
    /// and the exponent -2). Never through `Double`: the money stays exact.
    mutating func decimal(_ value: Decimal) {
        guard let mantissa = Self.mantissa(of: value) else {
            var text = value.description
            text.withUTF8 { bytes.append(contentsOf: $0) }
            return
        }
        if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
        let exponent = value.exponent
        if exponent >= 0 {
            digits(UInt(mantissa))
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
            return
        }
        let start = bytes.count
        digits(UInt(mantissa))
        let count = bytes.count - start, scale = -exponent
        if scale < count {
            bytes.insert(UInt8(ascii: "."), at: bytes.count - scale)
        } else {
            bytes.insert(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")] + repeatElement(UInt8(ascii: "0"), count: scale - count), at: start)
        }
    }

    /// A nonzero `Decimal`'s mantissa when it fits 64 bits, read from the
    /// value's bytes; nil otherwise (NaN, zero, wider mantissas), and nil too
    /// should the layout ever differ from the `NSDecimal` one read here, since
    /// what is read must equal the public `significand`.
    ///
    /// Why: on this Foundation `Decimal.description` builds its string
    /// generically at about 1.5 µs a number, a third of the writer's time,
    /// and no public API gives the mantissa as an integer without `Double`.
    static func mantissa(of value: Decimal) -> UInt64? {
        guard MemoryLayout<Decimal>.size == 20, !value.isNaN else { return nil }
        // NSDecimal: exponent, length and flags in the first 4 bytes, then 8
        // little-endian UInt16 words of mantissa; words 4-7 zero to fit 64 bits.
        let low: UInt64? = withUnsafeBytes(of: value) { raw in
            for i in 12..<20 where raw[i] != 0 { return nil }
            return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
        }
        guard let low, low != 0, Decimal(low) == value.significand else { return nil }
        return low
    }

    /// `JSONWriter.serializeString` with `.withoutEscapingSlashes`.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            var mark = 0
            for i in utf8.indices {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if mark < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<i])) }
                mark = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                }
            }
            if mark < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
